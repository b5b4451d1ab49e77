using NanoDet.Abstractions.Export;
using NanoDet.Compute.Layers;
using TorchSharp;
using TorchSharp.Modules;
using TorchSharp.Utils;
using static TorchSharp.torch;

namespace NanoDet.Backbones;

/// <summary>
/// Stride-1 Ghost bottleneck without squeeze-excitation, as GhostPAN creates it (docs/reference.md#ghostpan-neck): <c>ghost1</c> (with
/// activation) → <c>ghost2</c> (none), plus a <c>shortcut</c> = [DW k×k, BN, 1×1, BN] when in ≠ out (identity
/// otherwise). No activation after the sum. The stride-2 depthwise stage and SE of GhostNet are never built here.
/// </summary>
public sealed class GhostBottleneck : nn.Module<Tensor, Tensor>, IOnnxExportable
{
    [ComponentName(Name = "ghost1")] private readonly GhostModule _ghost1;
    [ComponentName(Name = "ghost2")] private readonly GhostModule _ghost2;
    [ComponentName(Name = "shortcut")] private readonly Sequential _shortcut;
    private readonly bool _identityShortcut;
    private readonly LayerChain _shortcutChain;

    public GhostBottleneck(int inChannels, int midChannels, int outChannels, int dwKernelSize, string? activation)
        : base(nameof(GhostBottleneck))
    {
        _ghost1 = new GhostModule(inChannels, midChannels, activation);
        _ghost2 = new GhostModule(_ghost1.OutChannels, outChannels, null);
        _identityShortcut = inChannels == outChannels;
        _shortcut = _identityShortcut
            ? nn.Sequential()
            : nn.Sequential(
                new AdaptiveConv2d(inChannels, inChannels, dwKernelSize, stride: 1, padding: (dwKernelSize - 1) / 2, groups: inChannels, bias: false),
                nn.BatchNorm2d(inChannels),
                new AdaptiveConv2d(inChannels, outChannels, 1, bias: false),
                nn.BatchNorm2d(outChannels));
        register_module("ghost1", _ghost1);
        register_module("ghost2", _ghost2);
        register_module("shortcut", _shortcut);
        _shortcutChain = LayerChain.Of(_shortcut);
    }

    /// <summary>[B, in, H, W] → [B, out, H, W].</summary>
    public override Tensor forward(Tensor x)
    {
        using var scope = NewDisposeScope();
        var y = _ghost2.forward(_ghost1.forward(x));
        var residual = _identityShortcut ? x : _shortcutChain.Forward(x);
        return (y + residual).MoveToOuterDisposeScope();
    }

    /// <summary>ghost2(ghost1(x)) + shortcut(x).</summary>
    public IReadOnlyList<OnnxValue> ExportOnnx(IOnnxGraphBuilder graph, IReadOnlyList<OnnxValue> inputs)
    {
        var x = inputs[0];
        OnnxValue y, residual;
        using (graph.Scope("ghost1")) y = graph.Module(_ghost1, x);
        using (graph.Scope("ghost2")) y = graph.Module(_ghost2, y);
        using (graph.Scope("shortcut")) residual = _identityShortcut ? x : graph.Module(_shortcut, x);
        return [graph.Binary("Add", y, residual)];
    }
}
