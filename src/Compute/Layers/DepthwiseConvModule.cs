using NanoDet.Abstractions.Export;
using TorchSharp;
using TorchSharp.Modules;
using TorchSharp.Utils;
using static TorchSharp.torch;

namespace NanoDet.Compute.Layers;

/// <summary>
/// NanoDet's DepthwiseConvModule: depthwise k×k conv (groups = in) → dwnorm → act → pointwise 1×1 conv → pwnorm → act.
/// Children are registered as <c>depthwise</c>, <c>pointwise</c>, <c>dwnorm</c>, <c>pwnorm</c>, <c>act</c> (NanoDet's
/// order, so the state_dict keys and their order match). The same activation layer is applied twice. Convs have a bias
/// only without a norm. Initialised with Kaiming-normal (fan_out), norms weight 1, bias 0.
/// </summary>
public sealed class DepthwiseConvModule : nn.Module<Tensor, Tensor>, IOnnxExportable
{
    [ComponentName(Name = "depthwise")] private readonly AdaptiveConv2d _depthwise;
    [ComponentName(Name = "pointwise")] private readonly AdaptiveConv2d _pointwise;
    [ComponentName(Name = "dwnorm")] private readonly nn.Module<Tensor, Tensor>? _dwnorm;
    [ComponentName(Name = "pwnorm")] private readonly nn.Module<Tensor, Tensor>? _pwnorm;
    [ComponentName(Name = "act")] private readonly nn.Module<Tensor, Tensor>? _act;
    private readonly InPlaceActivation.Kind _actKind;

    /// <summary>Builds the depthwise k×k conv and the pointwise 1×1 conv with their norms and one activation.</summary>
    /// <remarks><c>norm</c> null means no norm layers (the convs then have biases); <c>activation</c> null means none.</remarks>
    public DepthwiseConvModule(int inChannels, int outChannels, int kernelSize, int stride = 1, int padding = 0,
        int dilation = 1, NormSpec? norm = null, string? activation = "ReLU")
        : base(nameof(DepthwiseConvModule))
    {
        bool bias = norm is null;
        _depthwise = new AdaptiveConv2d(inChannels, inChannels, kernelSize, stride: stride, padding: padding,
            dilation: dilation, groups: inChannels, bias: bias);
        _pointwise = new AdaptiveConv2d(inChannels, outChannels, 1, bias: bias);
        register_module("depthwise", _depthwise);
        register_module("pointwise", _pointwise);
        if (norm is not null)
        {
            _dwnorm = norm.Create(inChannels);
            _pwnorm = norm.Create(outChannels);
            register_module("dwnorm", _dwnorm);
            register_module("pwnorm", _pwnorm);
        }
        _act = Activation.Create(activation);
        if (_act is not null) register_module("act", _act);
        _actKind = InPlaceActivation.Classify(_act);
        WeightInit.KaimingFanOut(_depthwise);
        WeightInit.KaimingFanOut(_pointwise);
    }

    /// <summary>The depthwise and pointwise convolutions (heads re-initialise them).</summary>
    public IEnumerable<AdaptiveConv2d> Convs => [_depthwise, _pointwise];

    /// <summary>
    /// [B, in, H, W] → [B, out, H', W']. In eval mode without autograd the BatchNorms are folded into the convolutions
    /// and the activations run in place (<see cref="AdaptiveConv2d.ForwardFolded"/>).
    /// </summary>
    public override Tensor forward(Tensor x)
    {
        if (_dwnorm is BatchNorm2d dwnorm && _pwnorm is BatchNorm2d pwnorm && !is_grad_enabled()
            && _depthwise.ForwardFolded(x, dwnorm) is { } depthwise)
        {
            var mid = InPlaceActivation.Apply(_act, _actKind, depthwise);
            if (_pointwise.ForwardFolded(mid, pwnorm) is { } pointwise)
                return InPlaceActivation.Apply(_act, _actKind, pointwise);
            return InPlaceActivation.Apply(_act, _actKind, pwnorm.forward(_pointwise.forward(mid)));
        }
        var y = _depthwise.forward(x);
        if (_dwnorm is not null) y = _dwnorm.forward(y);
        if (_act is not null) y = _act.forward(y);
        y = _pointwise.forward(y);
        if (_pwnorm is not null) y = _pwnorm.forward(y);
        if (_act is not null) y = _act.forward(y);
        return y;
    }

    /// <summary>Depthwise conv (dwnorm folded) → act → pointwise conv (pwnorm folded) → act.</summary>
    public IReadOnlyList<OnnxValue> ExportOnnx(IOnnxGraphBuilder graph, IReadOnlyList<OnnxValue> inputs)
    {
        if (_dwnorm is not null and not BatchNorm2d || _pwnorm is not null and not BatchNorm2d)
            throw new NotSupportedException("DepthwiseConvModule with GroupNorm cannot be exported to ONNX (only BatchNorm is folded)");
        var y = graph.Activation(graph.Conv(inputs[0], _depthwise, _dwnorm as BatchNorm2d), _act);
        return [graph.Activation(graph.Conv(y, _pointwise, _pwnorm as BatchNorm2d), _act)];
    }
}
