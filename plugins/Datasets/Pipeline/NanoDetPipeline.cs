using NanoDet.Abstractions.Data;
using NanoDet.Abstractions.Plugins;
using NanoDet.Inference.Errors;
using NanoDet.Inference.Geometry;

namespace NanoDet.Datasets.Pipeline;

/// <summary>
/// NanoDet's <c>Pipeline</c> (ShapeTransform + color_aug_and_norm) with corner points warped by the same matrix
/// and relabelled under mirroring. Options bind from the dataset section: <c>input_size</c>, <c>keep_ratio</c>,
/// <c>pipeline{...}</c>.
/// </summary>
[NanoDetPlugin(PluginKind.Pipeline, "NanoDetPipeline", Description = "one composed warp for image, boxes and corners; colour; normalise")]
public sealed class NanoDetPipeline : PluginFactory<NanoDetPipelineOptions, ISamplePipeline>
{
    public override ISamplePipeline Create(NanoDetPipelineOptions options, PluginContext context) =>
        new NanoDetSamplePipeline(new InputSpec(options.InputSize![0], options.InputSize[1], options.KeepRatio), options.Pipeline);
}
