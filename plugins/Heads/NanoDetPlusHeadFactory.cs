using NanoDet.Abstractions.Model;
using NanoDet.Abstractions.Plugins;
using NanoDet.Inference.Detections;
using NanoDet.Inference.Errors;
using NanoDet.Inference.Geometry;

namespace NanoDet.Heads;

/// <summary>The <c>NanoDetPlusHead</c> plugin (kind head): four-point by default, <c>num_points: 0</c> for plain NanoDet-Plus.</summary>
[NanoDetPlugin(PluginKind.Head, "NanoDetPlusHead", Description = "NanoDet-Plus head: class + box + four corner distributions")]
public sealed class NanoDetPlusHeadFactory : PluginFactory<NanoDetPlusHeadOptions, HeadModule>
{
    public override HeadModule Create(NanoDetPlusHeadOptions options, PluginContext context)
    {
        var norm = options.NormCfg.ToSpec();
        var key = $"{context.Section.Path}:norm_cfg";
        norm.Validate(options.FeatChannels, key);
        norm.Validate(options.InputChannel, key);
        var head = new NanoDetPlusHead(options);
        head.TrainingLoss = Losses.NanoDetPlusLoss.Create(head.Layout, options.Loss,
            context.Section.GetSection("assigner_cfg"), context.Resolver);
        return head;
    }
}
