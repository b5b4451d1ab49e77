using NanoDet.Compute.Kernels;
using TorchSharp;
using TorchSharp.Modules;
using TorchSharp.Utils;
using static TorchSharp.torch;

namespace NanoDet.Compute.Layers;

/// <summary>
/// The 2-D convolution every layer of the product uses. Parameters, their names (<c>weight</c> [out, in/groups, kH, kW],
/// <c>bias</c> [out]) and their default initialisation are those of <c>torch.nn.Conv2d</c>, so state_dicts,
/// safetensors, PyTorch import and ONNX export are unchanged. What differs is how the forward pass is computed: per
/// call shape, <see cref="ConvKernelSelector"/> picks the fastest of several implementations that it has checked
/// against float64 on that shape (oneDNN through libtorch, 1×1 as a matrix product, k×k as unfold + matrix product,
/// depthwise as shifted multiply-adds; see docs/kernels.md).
/// </summary>
public sealed class AdaptiveConv2d : nn.Module<Tensor, Tensor>
{
    [ComponentName(Name = "weight")] private Parameter _weight;
    [ComponentName(Name = "bias")] private Parameter? _bias;
    private readonly BatchNormFold _fold = new();

    /// <summary>Builds a convolution; arguments as <c>torch.nn.Conv2d</c> (zero padding only).</summary>
    public AdaptiveConv2d(long inChannels, long outChannels, long kernelSize, long stride = 1, long padding = 0,
        long dilation = 1, long groups = 1, bool bias = true)
        : this(inChannels, outChannels, (kernelSize, kernelSize), (stride, stride), (padding, padding), (dilation, dilation), groups, bias)
    {
    }

    /// <summary>Builds a convolution with per-axis (height, width) kernel, stride, padding and dilation.</summary>
    public AdaptiveConv2d(long inChannels, long outChannels, (long H, long W) kernelSize, (long H, long W) stride,
        (long H, long W) padding, (long H, long W) dilation, long groups = 1, bool bias = true)
        : base(nameof(AdaptiveConv2d))
    {
        if (inChannels % groups != 0 || outChannels % groups != 0)
            throw new ArgumentException($"channels {inChannels}→{outChannels} are not divisible by groups {groups}");
        Geometry = new ConvGeometry(inChannels, outChannels, kernelSize.H, kernelSize.W, stride.H, stride.W,
            padding.H, padding.W, dilation.H, dilation.W, groups, bias);
        // Parameters belong to the module, not to any dispose scope the module happens to be built in.
        _weight = (Parameter)nn.Parameter(empty(outChannels, inChannels / groups, kernelSize.H, kernelSize.W)).DetachFromDisposeScope();
        register_parameter("weight", _weight);
        if (bias)
        {
            _bias = (Parameter)nn.Parameter(empty(outChannels)).DetachFromDisposeScope();
            register_parameter("bias", _bias);
        }
        ResetParameters();
    }

    /// <summary>Channels, kernel, stride, padding, dilation, groups, bias.</summary>
    public ConvGeometry Geometry { get; }

    /// <summary>[out, in/groups, kH, kW].</summary>
    public Parameter weight
    {
        get => _weight;
        set
        {
            if (ReferenceEquals(value, _weight)) return;
            _weight = (Parameter)value.DetachFromDisposeScope();
            ConditionallyRegisterParameter("weight", value);
            _fold.Clear();
        }
    }

    /// <summary>[out], or null.</summary>
    public Parameter? bias
    {
        get => _bias;
        set
        {
            if (ReferenceEquals(value, _bias)) return;
            _bias = (Parameter?)value?.DetachFromDisposeScope();
            ConditionallyRegisterParameter("bias", value);
            _fold.Clear();
        }
    }

    /// <summary>torch.nn.Conv2d's default initialisation: Kaiming-uniform (a = √5) weight, bias U(±1/√fan_in).</summary>
    public void ResetParameters()
    {
        using var _ = no_grad();
        nn.init.kaiming_uniform_(_weight, Math.Sqrt(5));
        if (_bias is null) return;
        long fanIn = Geometry.InChannels / Geometry.Groups * Geometry.KernelH * Geometry.KernelW;
        if (fanIn == 0) return;
        var bound = 1 / Math.Sqrt(fanIn);
        nn.init.uniform_(_bias, -bound, bound);
    }

    /// <summary>[N, in, H, W] → [N, out, H', W'].</summary>
    public override Tensor forward(Tensor x)
    {
        if (x.dim() != 4 || x.shape[1] != Geometry.InChannels)
            throw new ArgumentException($"AdaptiveConv2d {Geometry} expects [N, {Geometry.InChannels}, H, W], got [{string.Join(", ", x.shape)}]");
        return ConvKernelSelector.Shared.Forward(x, _weight, _bias, Geometry);
    }

    /// <summary>
    /// Inference shortcut for conv → <paramref name="bn"/>: [N, in, H, W] → bn(conv(x)) [N, out, H', W'] computed as one
    /// convolution with the norm folded into weight and bias (<see cref="BatchNormFold"/>, cached until a source tensor
    /// changes). Returns null — the caller then runs conv and norm as usual — unless both layers are in eval mode and
    /// autograd is off, or when the fold cannot be cached safely. The result is a new tensor the caller owns.
    /// </summary>
    public Tensor? ForwardFolded(Tensor x, BatchNorm2d bn)
    {
        if (training || is_grad_enabled() || !BatchNormFold.CanFold(bn)) return null;
        if (_fold.Get(_weight, _bias, bn) is not { } folded) return null;
        if (x.dim() != 4 || x.shape[1] != Geometry.InChannels)
            throw new ArgumentException($"AdaptiveConv2d {Geometry} expects [N, {Geometry.InChannels}, H, W], got [{string.Join(", ", x.shape)}]");
        return ConvKernelSelector.Shared.Forward(x, folded.Weight, folded.Bias, Geometry with { HasBias = true });
    }

    /// <summary>True while a folded weight is cached (tests use it).</summary>
    public bool HasFoldedWeights => _fold.IsCached;

    /// <summary>Training mode drops the folded weights (they are rebuilt on the next eval-mode call).</summary>
    public override void train(bool on = true)
    {
        base.train(on);
        if (on) _fold.Clear();
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing) _fold.Dispose();
        base.Dispose(disposing);
    }
}
