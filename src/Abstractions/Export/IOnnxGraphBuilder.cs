using TorchSharp.Modules;
using static TorchSharp.torch;

namespace NanoDet.Abstractions.Export;

/// <summary>
/// Builds an ONNX inference graph from modules (the export contract; the host implements it and writes the file).
/// Every op returns its output value with the shape inferred statically; dimension 0 is the batch. Weights are
/// copied as float32 initializers; BatchNorm after a convolution is folded into it (eval-mode statistics).
/// </summary>
public interface IOnnxGraphBuilder
{
    /// <summary>The ai.onnx opset the graph is written for.</summary>
    int Opset { get; }

    /// <summary>Prefixes node and initializer names until disposed (e.g. <c>backbone.stage2.0</c>); readability only.</summary>
    IDisposable Scope(string name);

    /// <summary>
    /// Emits a module with one input and one output: an <see cref="IOnnxExportable"/>, a <c>Sequential</c> (children
    /// in order, convolution + BatchNorm2d pairs folded), AdaptiveConv2d or Conv2d, BatchNorm2d, MaxPool2d, an activation, Identity.
    /// Anything else throws <see cref="NotSupportedException"/> naming the module type.
    /// </summary>
    OnnxValue Module(nn.Module module, OnnxValue input);

    /// <summary>Emits a module with several inputs or outputs (must be an <see cref="IOnnxExportable"/>).</summary>
    IReadOnlyList<OnnxValue> Module(nn.Module module, IReadOnlyList<OnnxValue> inputs);

    /// <summary>
    /// Conv [B, Cin, H, W] → [B, Cout, H', W'] for the compute library's AdaptiveConv2d or TorchSharp's own Conv2d
    /// (third-party modules; zero padding only); <paramref name="batchNorm"/>, when given, is folded into the weights.
    /// Any other module type throws <see cref="NotSupportedException"/>.
    /// </summary>
    OnnxValue Conv(OnnxValue x, nn.Module conv, BatchNorm2d? batchNorm = null);

    /// <summary>An activation layer (same shape); null, Identity or an empty Sequential return <paramref name="x"/> unchanged.</summary>
    OnnxValue Activation(OnnxValue x, nn.Module? activation);

    /// <summary>Elementwise ops with numpy broadcasting: <c>Add</c>, <c>Sub</c>, <c>Mul</c>, <c>Div</c>, <c>Min</c>, <c>Max</c>.</summary>
    OnnxValue Binary(string opType, OnnxValue a, OnnxValue b);

    /// <summary>Concatenation along <paramref name="axis"/> (non-negative).</summary>
    OnnxValue Concat(IReadOnlyList<OnnxValue> inputs, int axis);

    /// <summary>Elements [<paramref name="start"/>, <paramref name="end"/>) along <paramref name="axis"/>.</summary>
    OnnxValue Slice(OnnxValue x, int axis, long start, long end);

    /// <summary>Reshape; <paramref name="shape"/>[0] is the batch and is written as 0 (copy) so it stays symbolic.</summary>
    OnnxValue Reshape(OnnxValue x, params long[] shape);

    /// <summary>Transpose with the permutation <paramref name="perm"/> (batch must stay at 0).</summary>
    OnnxValue Transpose(OnnxValue x, params int[] perm);

    /// <summary>
    /// Spatial up-sampling of [B, C, H, W] by an integer factor: bilinear (<c>align_corners</c> false → half-pixel
    /// centres, as PyTorch) or nearest (PyTorch's floor rule).
    /// </summary>
    OnnxValue Upsample(OnnxValue x, int scale, bool bilinear, bool alignCorners);

    /// <summary>Logistic sigmoid (same shape).</summary>
    OnnxValue Sigmoid(OnnxValue x);

    /// <summary>Softmax over the last axis.</summary>
    OnnxValue SoftmaxLastAxis(OnnxValue x);

    /// <summary>Matrix product with numpy semantics.</summary>
    OnnxValue MatMul(OnnxValue a, OnnxValue b);

    /// <summary>A float32 constant (initializer) of the given shape; it has no batch dimension unless the caller gives one.</summary>
    OnnxValue Constant(string name, float[] values, long[] shape);

    /// <summary>
    /// Any other ai.onnx op for third-party modules: the caller states the output shape. Attribute values may be
    /// long, float, string, long[] or float[].
    /// </summary>
    OnnxValue Op(string opType, IReadOnlyList<OnnxValue> inputs, long[] outputShape,
        IReadOnlyDictionary<string, object>? attributes = null);
}
