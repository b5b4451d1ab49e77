using NanoDet.Abstractions.Export;
using TorchSharp;
using TorchSharp.Modules;
using TorchSharp.Utils;
using static TorchSharp.torch;

namespace NanoDet.Compute.Layers;

/// <summary>
/// NanoDet's ConvModule: conv → norm → activation. Child names (hence state_dict keys) are <c>conv</c>, then
/// <c>bn</c> or <c>gn</c>, then <c>act</c>. The conv has a bias only when there is no norm. Initialised with
/// Kaiming-normal (fan_out) and norm weight 1, bias 0.
/// </summary>
public sealed class ConvModule : nn.Module<Tensor, Tensor>, IOnnxExportable
{
    [ComponentName(Name = "conv")] private readonly AdaptiveConv2d _conv;
    // Two fields so each carries its state_dict name (TorchSharp registers module fields by component name).
    [ComponentName(Name = "bn")] private readonly nn.Module<Tensor, Tensor>? _bn;
    [ComponentName(Name = "gn")] private readonly nn.Module<Tensor, Tensor>? _gn;
    [ComponentName(Name = "act")] private readonly nn.Module<Tensor, Tensor>? _act;
    private readonly InPlaceActivation.Kind _actKind;

    /// <summary>Builds conv (k×k, given stride/padding/dilation/groups) → optional norm → optional activation.</summary>
    /// <remarks><c>norm</c> null means no norm layer (the conv then has a bias); <c>activation</c> null means none.</remarks>
    public ConvModule(int inChannels, int outChannels, int kernelSize, int stride = 1, int padding = 0,
        int dilation = 1, int groups = 1, NormSpec? norm = null, string? activation = "ReLU")
        : base(nameof(ConvModule))
    {
        _conv = new AdaptiveConv2d(inChannels, outChannels, kernelSize, stride: stride, padding: padding,
            dilation: dilation, groups: groups, bias: norm is null);
        register_module("conv", _conv);
        if (norm is not null)
        {
            var layer = norm.Create(outChannels);
            if (norm.IsGroupNorm) _gn = layer;
            else _bn = layer;
            register_module(norm.ChildName, layer);
        }
        _act = Activation.Create(activation);
        if (_act is not null) register_module("act", _act);
        _actKind = InPlaceActivation.Classify(_act);
        WeightInit.KaimingFanOut(_conv);
    }

    /// <summary>The convolution (its weight is re-initialised by some heads).</summary>
    public AdaptiveConv2d Conv => _conv;

    /// <summary>The norm layer, or null.</summary>
    public nn.Module<Tensor, Tensor>? Norm => _bn ?? _gn;

    /// <summary>
    /// [B, in, H, W] → [B, out, H', W']. In eval mode without autograd a BatchNorm is folded into the convolution and
    /// the activation runs in place (<see cref="AdaptiveConv2d.ForwardFolded"/>).
    /// </summary>
    public override Tensor forward(Tensor x)
    {
        if (_bn is BatchNorm2d bn && !is_grad_enabled() && _conv.ForwardFolded(x, bn) is { } folded)
            return InPlaceActivation.Apply(_act, _actKind, folded);
        var y = _conv.forward(x);
        if (Norm is { } norm) y = norm.forward(y);
        if (_act is not null) y = _act.forward(y);
        return y;
    }

    /// <summary>Conv (BatchNorm folded in) → activation. GroupNorm has no eval-time folding and is not exported.</summary>
    public IReadOnlyList<OnnxValue> ExportOnnx(IOnnxGraphBuilder graph, IReadOnlyList<OnnxValue> inputs)
    {
        if (_gn is not null)
            throw new NotSupportedException("ConvModule with GroupNorm cannot be exported to ONNX (only BatchNorm is folded)");
        var y = graph.Conv(inputs[0], _conv, _bn as BatchNorm2d);
        return [graph.Activation(y, _act)];
    }
}
