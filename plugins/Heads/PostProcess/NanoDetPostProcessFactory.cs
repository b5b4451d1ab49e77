using NanoDet.Abstractions.Model;
using NanoDet.Abstractions.Plugins;
using NanoDet.Inference.Detections;
using NanoDet.Inference.Errors;
using NanoDet.Inference.Geometry;
using NanoDet.Inference.PostProcessing;

namespace NanoDet.Heads.PostProcess;

/// <summary>The reference post-process as a plugin (<c>postprocess: {name: NanoDetPostProcess, ...}</c>).</summary>
[NanoDetPlugin(PluginKind.PostProcess, "NanoDetPostProcess", Description = "score threshold, class-aware NMS with corners, warp back")]
public sealed class NanoDetPostProcessFactory : PluginFactory<NanoDetPostProcessOptions, IDetectionPostProcessor>
{
    public override IDetectionPostProcessor Create(NanoDetPostProcessOptions options, PluginContext context) =>
        new NanoDetPostProcessor(options);
}
