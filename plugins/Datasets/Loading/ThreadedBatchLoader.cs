using NanoDet.Abstractions.Data;
using NanoDet.Abstractions.Plugins;
using NanoDet.Inference.Errors;
using NanoDet.Inference.Geometry;

namespace NanoDet.Datasets.Loading;

/// <summary>The default <c>loader</c> plugin: worker threads, bounded prefetch, deterministic per (seed, epoch, index).</summary>
[NanoDetPlugin(PluginKind.Loader, "ThreadedBatchLoader", Description = "multi-threaded decode + augmentation, bounded prefetch, deterministic")]
public sealed class ThreadedBatchLoader : IBatchLoaderFactory
{
    public IBatchLoader Create(IDetectionDataset dataset, ISamplePipeline pipeline, BatchLoaderSettings settings) =>
        new ThreadedLoader(dataset, pipeline, settings);
}
