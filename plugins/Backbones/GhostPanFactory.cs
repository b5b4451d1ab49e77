using NanoDet.Abstractions.Model;
using NanoDet.Abstractions.Plugins;
using NanoDet.Inference.Detections;
using NanoDet.Inference.Errors;
using NanoDet.Inference.Geometry;

namespace NanoDet.Backbones;

/// <summary>The <c>GhostPAN</c> neck plugin (kind fpn).</summary>
[NanoDetPlugin(PluginKind.Fpn, "GhostPAN", Description = "GhostPAN path-aggregation neck (NanoDet-Plus)")]
public sealed class GhostPanFactory : PluginFactory<GhostPanOptions, NeckModule>
{
    public override NeckModule Create(GhostPanOptions options, PluginContext context)
    {
        var norm = options.NormCfg.ToSpec();
        norm.Validate(options.OutChannels, $"{context.Section.Path}:norm_cfg");
        return new GhostPan(options);
    }
}
