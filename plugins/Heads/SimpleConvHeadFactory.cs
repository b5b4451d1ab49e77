using NanoDet.Abstractions.Model;
using NanoDet.Abstractions.Plugins;
using NanoDet.Inference.Detections;
using NanoDet.Inference.Errors;
using NanoDet.Inference.Geometry;

namespace NanoDet.Heads;

/// <summary>The <c>SimpleConvHead</c> plugin (kind aux_head): NanoDet-Plus's training-only assign-guidance head.</summary>
[NanoDetPlugin(PluginKind.AuxHead, "SimpleConvHead", Description = "auxiliary GN conv head guiding label assignment (training only)")]
public sealed class SimpleConvHeadFactory : PluginFactory<SimpleConvHeadOptions, HeadModule>
{
    public override HeadModule Create(SimpleConvHeadOptions options, PluginContext context)
    {
        options.NormCfg.ToSpec().Validate(options.FeatChannels, $"{context.Section.Path}:norm_cfg");
        return new SimpleConvHead(options);
    }
}
