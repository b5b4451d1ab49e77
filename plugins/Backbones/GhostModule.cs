using NanoDet.Abstractions.Export;
using NanoDet.Compute.Layers;
using TorchSharp;
using TorchSharp.Modules;
using TorchSharp.Utils;
using static TorchSharp.torch;

namespace NanoDet.Backbones;

/// <summary>
/// GhostNet's Ghost module as GhostPAN uses it (docs/reference.md#ghostpan-neck), ratio 2: <c>primary_conv</c> = [k×k conv in→ceil(out/2),
/// BN, act or empty] and <c>cheap_operation</c> = [depthwise 3×3 conv, BN, act or empty]; output = concat of both.
/// The empty placeholder keeps the Sequential index 2 as in NanoDet. Convs use the framework's default init.
/// </summary>
public sealed class GhostModule : nn.Module<Tensor, Tensor>, IOnnxExportable
{
    [ComponentName(Name = "primary_conv")] private readonly Sequential _primary;
    [ComponentName(Name = "cheap_operation")] private readonly Sequential _cheap;
    private readonly LayerChain _primaryChain, _cheapChain;

    /// <summary>Builds the module; <c>activation</c> null means none (ghost2 of a bottleneck).</summary>
    public GhostModule(int inp, int oup, string? activation, int kernelSize = 1, int dwSize = 3, int stride = 1)
        : base(nameof(GhostModule))
    {
        int init = (oup + 1) / 2;
        _primary = nn.Sequential(
            new AdaptiveConv2d(inp, init, kernelSize, stride: stride, padding: kernelSize / 2, bias: false),
            nn.BatchNorm2d(init),
            Activation.Create(activation) ?? nn.Sequential());
        _cheap = nn.Sequential(
            new AdaptiveConv2d(init, init, dwSize, stride: 1, padding: dwSize / 2, groups: init, bias: false),
            nn.BatchNorm2d(init),
            Activation.Create(activation) ?? nn.Sequential());
        register_module("primary_conv", _primary);
        register_module("cheap_operation", _cheap);
        (_primaryChain, _cheapChain) = (LayerChain.Of(_primary), LayerChain.Of(_cheap));
        OutChannels = 2 * init;
    }

    /// <summary>2·ceil(out/2) (NanoDet concatenates without trimming).</summary>
    public int OutChannels { get; }

    /// <summary>[B, in, H, W] → [B, 2·ceil(out/2), H, W].</summary>
    public override Tensor forward(Tensor x)
    {
        using var scope = NewDisposeScope();
        var x1 = _primaryChain.Forward(x);
        var x2 = _cheapChain.Forward(x1);
        return cat([x1, x2], 1).MoveToOuterDisposeScope();
    }

    /// <summary>primary_conv → cheap_operation, concatenated on channels.</summary>
    public IReadOnlyList<OnnxValue> ExportOnnx(IOnnxGraphBuilder graph, IReadOnlyList<OnnxValue> inputs)
    {
        OnnxValue x1, x2;
        using (graph.Scope("primary_conv")) x1 = graph.Module(_primary, inputs[0]);
        using (graph.Scope("cheap_operation")) x2 = graph.Module(_cheap, x1);
        return [graph.Concat([x1, x2], 1)];
    }
}
