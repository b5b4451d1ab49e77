using Microsoft.Extensions.Configuration;
using NanoDet.Abstractions.Model;
using NanoDet.Abstractions.Plugins;
using NanoDet.Inference.Detections;
using NanoDet.Inference.Errors;
using NanoDet.Inference.Geometry;
using TorchSharp;
using static TorchSharp.torch;

namespace NanoDet.SamplePlugin;

/// <summary>Options of <see cref="NonFiniteLossHeadFactory"/>: the keys of NanoDetPlusHead it needs for its layout.</summary>
public sealed class NonFiniteLossHeadOptions
{
    [ConfigurationKeyName("num_classes")] public int NumClasses { get; set; } = 1;
    [ConfigurationKeyName("input_channel")] public int InputChannel { get; set; } = 16;
    [ConfigurationKeyName("strides")] public int[] Strides { get; set; } = [8, 16, 32, 64];
    [ConfigurationKeyName("reg_max")] public int RegMax { get; set; } = 7;
    [ConfigurationKeyName("num_points")] public int NumPoints { get; set; } = 4;
}

/// <summary>
/// A head whose training loss is always NaN: lets the tests drive the trainer's non-finite-loss handling through the
/// real plugin path. A third-party head: ITrainableHead is all the trainer needs.
/// </summary>
[NanoDetPlugin(PluginKind.Head, "NonFiniteLossHead", Description = "test plugin: a head whose loss is NaN")]
public sealed class NonFiniteLossHeadFactory : PluginFactory<NonFiniteLossHeadOptions, HeadModule>
{
    public override HeadModule Create(NonFiniteLossHeadOptions options, PluginContext context) => new NonFiniteLossHead(options);
}

internal sealed class NonFiniteLossHead : HeadModule, ITrainableHead
{
    private readonly nn.Module<Tensor, Tensor> conv;

    public NonFiniteLossHead(NonFiniteLossHeadOptions o) : base(nameof(NonFiniteLossHead))
    {
        Layout = new HeadLayout(o.NumClasses, o.RegMax, o.NumPoints, o.Strides);
        conv = nn.Conv2d(o.InputChannel, Layout.Channels, 1);
        RegisterComponents();
    }

    public override HeadLayout Layout { get; }

    /// <summary>Levels [B, C_in, H_l, W_l] → [B, N, K].</summary>
    public override Tensor forward(Tensor[] feats) =>
        cat(feats.Select(f => conv.forward(f).flatten(2)).ToArray(), 2).permute(0, 2, 1).contiguous();

    public HeadLoss Loss(Tensor preds, Tensor? auxPreds, DetectionTargets targets) =>
        new(preds.sum() * float.NaN, new Dictionary<string, float>(), 0);
}
