using NanoDet.Abstractions.Model;
using NanoDet.Abstractions.Plugins;
using NanoDet.Inference.Detections;
using NanoDet.Inference.Errors;
using NanoDet.Inference.Geometry;

namespace NanoDet.Heads.Assigners;

/// <summary>Registers <see cref="DynamicSoftLabelAssigner"/> as assigner <c>DynamicSoftLabelAssigner</c>, options from <c>assigner_cfg</c>.</summary>
[NanoDetPlugin(PluginKind.Assigner, AssignerOptions.DefaultName,
    Description = "NanoDet-Plus dynamic soft label assignment (+ four-point corner cost)")]
public sealed class DynamicSoftLabelAssignerFactory : PluginFactory<AssignerOptions, IAssigner>
{
    public override IAssigner Create(AssignerOptions options, PluginContext context) => new DynamicSoftLabelAssigner(options);
}
