using NanoDet.Abstractions.Model;
using NanoDet.Abstractions.Plugins;
using NanoDet.Inference.Detections;
using NanoDet.Inference.Errors;
using NanoDet.Inference.Geometry;

namespace NanoDet.Detectors;

/// <summary>
/// The <c>NanoDetPlus</c> arch plugin: resolves <c>backbone</c>, <c>fpn</c>, <c>head</c> and <c>aux_head</c> by name
/// from their sub-sections, builds <c>aux_fpn</c> as a second neck from the <c>fpn</c> section with the same initial
/// weights, and checks that the parts fit together.
/// </summary>
[NanoDetPlugin(PluginKind.Arch, "NanoDetPlus", Description = "NanoDet-Plus: backbone, neck, head + training-only aux neck/head")]
public sealed class NanoDetPlusFactory : PluginFactory<NanoDetPlusOptions, DetectorModule>
{
    public override DetectorModule Create(NanoDetPlusOptions options, PluginContext context)
    {
        var section = context.Section;
        var resolver = context.Resolver;
        var backboneSection = section.GetSection("backbone");
        var fpnSection = section.GetSection("fpn");
        var headSection = section.GetSection("head");
        var auxHeadSection = section.GetSection("aux_head");

        var backbone = resolver.Create<BackboneModule>(PluginKind.Backbone, backboneSection);
        var fpn = resolver.Create<NeckModule>(PluginKind.Fpn, fpnSection);
        ArchitectureChecks.NeckFitsBackbone(backbone, fpn, fpnSection);
        var head = resolver.Create<HeadModule>(PluginKind.Head, headSection);
        ArchitectureChecks.HeadFitsNeck(head, fpn, fpn.OutChannels, headSection, "the neck's out_channels");
        var auxHead = resolver.Create<HeadModule>(PluginKind.AuxHead, auxHeadSection);
        ArchitectureChecks.HeadFitsNeck(auxHead, fpn, 2 * fpn.OutChannels, auxHeadSection,
            "twice the neck's out_channels (the aux head sees [main, aux] features)");
        ArchitectureChecks.AuxMatchesHead(head, auxHead, auxHeadSection);
        var auxFpn = resolver.Create<NeckModule>(PluginKind.Fpn, fpnSection);
        return new NanoDetPlus(backbone, fpn, head, auxFpn, auxHead, options.DetachEpoch) { ChannelsLast = options.ChannelsLast };
    }
}
