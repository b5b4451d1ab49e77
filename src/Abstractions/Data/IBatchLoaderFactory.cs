using NanoDet.Inference.Errors;
using NanoDet.Inference.Geometry;

namespace NanoDet.Abstractions.Data;

/// <summary>A <c>loader</c> plugin: builds an <see cref="IBatchLoader"/>.</summary>
public interface IBatchLoaderFactory
{
    IBatchLoader Create(IDetectionDataset dataset, ISamplePipeline pipeline, BatchLoaderSettings settings);
}
