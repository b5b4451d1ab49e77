using NanoDet.Abstractions.Export;
using NanoDet.Compute.Layers;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace NanoDet.Export;

/// <summary>
/// What every graph builder does the same way: walks modules (an <see cref="IOnnxExportable"/> writes itself; a
/// <c>Sequential</c> runs its children in order with each convolution + BatchNorm2d pair folded into one convolution;
/// convolutions, BatchNorm2d, MaxPool2d and activations are leaves) and unpacks convolution and pooling settings.
/// Derived builders decide what a leaf becomes: an ONNX node (<see cref="OnnxGraphBuilder"/>) or a TorchScript
/// statement (<see cref="TorchScriptGraphBuilder"/>).
/// </summary>
internal abstract class ModuleGraphBuilder : IOnnxGraphBuilder
{
    private readonly List<Tensor> _sources = [];

    public abstract int Opset { get; }

    /// <summary>Names are for readability only; builders that do not keep them leave this a no-op.</summary>
    public virtual IDisposable Scope(string name) => NoScope.Instance;

    /// <summary>
    /// The module tensors the graph's weights were made from (convolution weights and biases, BatchNorm parameters and
    /// statistics), in the order met; a plan built from the graph watches them for later writes (<see cref="WeightVersions"/>).
    /// </summary>
    public IReadOnlyList<Tensor> Sources => _sources;

    public OnnxValue Module(nn.Module module, OnnxValue input)
    {
        switch (module)
        {
            case IOnnxExportable exportable:
                var outputs = exportable.ExportOnnx(this, [input]);
                if (outputs.Count != 1)
                    throw new NotSupportedException($"{module.GetType().Name} returned {outputs.Count} graph outputs where one was expected");
                return outputs[0];
            case Sequential sequential:
                return SequentialChain(sequential, input);
            case AdaptiveConv2d or Conv2d:
                return Conv(input, module);
            case BatchNorm2d bn:
                TrackBatchNorm(bn);
                return StandaloneBatchNorm(input, bn);
            case MaxPool2d pool:
                return MaxPool(input, pool);
            default:
                if (IsActivation(module)) return Activation(input, module);
                throw new NotSupportedException(
                    $"{module.GetType().FullName} cannot be written as a graph: implement {nameof(IOnnxExportable)} on it");
        }
    }

    public IReadOnlyList<OnnxValue> Module(nn.Module module, IReadOnlyList<OnnxValue> inputs)
    {
        if (module is IOnnxExportable exportable) return exportable.ExportOnnx(this, inputs);
        if (inputs.Count == 1) return [Module(module, inputs[0])];
        throw new NotSupportedException(
            $"{module.GetType().FullName} cannot be written as a graph: implement {nameof(IOnnxExportable)} on it");
    }

    /// <summary>Children in order; a convolution directly followed by a BatchNorm2d becomes one folded convolution.</summary>
    private OnnxValue SequentialChain(Sequential sequential, OnnxValue x)
    {
        var children = sequential.named_children().ToList();
        for (int i = 0; i < children.Count; i++)
        {
            var (name, child) = children[i];
            using var _ = Scope(name);
            if (child is AdaptiveConv2d or Conv2d && i + 1 < children.Count && children[i + 1].module is BatchNorm2d bn)
            {
                x = Conv(x, child, bn);
                i++;
            }
            else
            {
                x = Module(child, x);
            }
        }
        return x;
    }

    public OnnxValue Conv(OnnxValue x, nn.Module conv, BatchNorm2d? batchNorm = null)
    {
        if (batchNorm is not null) TrackBatchNorm(batchNorm);
        switch (conv)
        {
            case AdaptiveConv2d adaptive:
                TrackConv(adaptive.weight, adaptive.bias);
                var g = adaptive.Geometry;
                return Conv(x, adaptive.weight, adaptive.bias, [g.KernelH, g.KernelW], [g.StrideH, g.StrideW], [g.PadH, g.PadW],
                    [g.DilationH, g.DilationW], g.Groups, batchNorm);
            case Conv2d plain:
                if (plain.padding_mode != TorchSharp.PaddingModes.Zeros)
                    throw new NotSupportedException($"Conv2d with padding mode {plain.padding_mode} cannot be written as a graph (only zeros)");
                if (plain.padding is null)
                    throw new NotSupportedException("Conv2d with string padding ('same'/'valid') cannot be written as a graph; give explicit padding");
                TrackConv(plain.weight, plain.bias);
                return Conv(x, plain.weight, plain.bias, plain.kernel_size, plain.stride, plain.padding, plain.dilation, plain.groups, batchNorm);
            default:
                throw new NotSupportedException($"{conv.GetType().Name} is not a convolution the graph builders know");
        }
    }

    /// <summary>
    /// x [B, Cin, H, W] → [B, Cout, H', W'] with the convolution's own weight [Cout, Cin/groups, kH, kW] and bias (or
    /// none) and, when given, <paramref name="batchNorm"/> folded in; per-axis kernel, stride, padding and dilation.
    /// </summary>
    protected abstract OnnxValue Conv(OnnxValue x, Tensor convWeight, Tensor? convBias, long[] k, long[] s, long[] p, long[] d,
        long groups, BatchNorm2d? batchNorm);

    private void TrackConv(Tensor? weight, Tensor? bias)
    {
        if (weight is not null) _sources.Add(weight);
        if (bias is not null) _sources.Add(bias);
    }

    private void TrackBatchNorm(BatchNorm2d bn)
    {
        foreach (var t in new[] { bn.weight, bn.bias, bn.running_mean, bn.running_var })
            if (t is not null) _sources.Add(t);
    }

    /// <summary>
    /// The convolution's weight and bias with <paramref name="bn"/>'s eval-mode statistics folded in
    /// (<see cref="BatchNormFold.Fold"/>: float64, rounded once); the caller owns both.
    /// </summary>
    protected static (Tensor Weight, Tensor Bias) FoldedBatchNorm(Tensor convWeight, Tensor? convBias, BatchNorm2d bn)
    {
        if (bn.running_mean is null || bn.running_var is null)
            throw new NotSupportedException("BatchNorm2d without running statistics cannot be folded");
        if (bn.running_mean.shape[0] != convWeight.shape[0])
            throw new ArgumentException($"BatchNorm2d has {bn.running_mean.shape[0]} channels, the conv {convWeight.shape[0]}");
        return BatchNormFold.Fold(convWeight, convBias, bn);
    }

    /// <summary>A lone BatchNorm2d as y = x·scale + shift: scale [C, 1, 1, 1] and shift [C], float32, owned by the caller.</summary>
    protected static (Tensor Scale, Tensor Shift) StandaloneBatchNormAffine(BatchNorm2d bn, long channels)
    {
        using var ones = torch.ones(channels, 1, 1, 1);
        return FoldedBatchNorm(ones, null, bn);
    }

    /// <summary>A BatchNorm2d with no convolution before it (eval-mode statistics).</summary>
    protected abstract OnnxValue StandaloneBatchNorm(OnnxValue x, BatchNorm2d bn);

    private OnnxValue MaxPool(OnnxValue x, MaxPool2d pool)
    {
        long[] k = Pair(pool.kernel_size), s = Pair(pool.stride ?? pool.kernel_size), p = Pair(pool.padding ?? [0]);
        long[] d = Pair(pool.dilation ?? [1]);
        if (d[0] != 1 || d[1] != 1) throw new NotSupportedException("MaxPool2d with dilation cannot be written as a graph");
        long[] shape = [x.Shape[0], x.Shape[1], Pooled(x.Shape[2], k[0], s[0], p[0], pool.ceil_mode), Pooled(x.Shape[3], k[1], s[1], p[1], pool.ceil_mode)];
        return MaxPool(x, pool, k, s, p, shape);
    }

    /// <summary>
    /// Max pooling of x [B, C, H, W] to <paramref name="shape"/> by <paramref name="pool"/> (kernel, stride, padding per
    /// axis unpacked; no dilation).
    /// </summary>
    protected abstract OnnxValue MaxPool(OnnxValue x, MaxPool2d pool, long[] k, long[] s, long[] p, long[] shape);

    /// <summary>Output length of a pooling window over <paramref name="n"/> elements (PyTorch's rule, ceil mode included).</summary>
    private static long Pooled(long n, long k, long s, long p, bool ceil)
    {
        long span = n + 2 * p - k;
        long o = (ceil ? (span + s - 1) / s : span / s) + 1;
        if (ceil && (o - 1) * s >= n + p) o--;
        return o;
    }

    private static long[] Pair(long[] v) => v.Length == 1 ? [v[0], v[0]] : v;

    /// <summary>The activation layers <see cref="Module(nn.Module, OnnxValue)"/> passes to <see cref="Activation"/>.</summary>
    protected static bool IsActivation(nn.Module m) =>
        m is ReLU or LeakyReLU or ReLU6 or SiLU or Hardswish or ELU or SELU or GELU or PReLU or TorchSharp.Modules.Sigmoid or Identity;

    public abstract OnnxValue Activation(OnnxValue x, nn.Module? activation);

    public abstract OnnxValue Binary(string opType, OnnxValue a, OnnxValue b);

    public abstract OnnxValue Concat(IReadOnlyList<OnnxValue> inputs, int axis);

    public abstract OnnxValue Slice(OnnxValue x, int axis, long start, long end);

    public abstract OnnxValue Reshape(OnnxValue x, params long[] shape);

    public abstract OnnxValue Transpose(OnnxValue x, params int[] perm);

    public abstract OnnxValue Upsample(OnnxValue x, int scale, bool bilinear, bool alignCorners);

    public abstract OnnxValue Sigmoid(OnnxValue x);

    public abstract OnnxValue SoftmaxLastAxis(OnnxValue x);

    public abstract OnnxValue MatMul(OnnxValue a, OnnxValue b);

    public abstract OnnxValue Constant(string name, float[] values, long[] shape);

    public abstract OnnxValue Op(string opType, IReadOnlyList<OnnxValue> inputs, long[] outputShape,
        IReadOnlyDictionary<string, object>? attributes = null);

    /// <summary>Result shape of an elementwise op with numpy broadcasting.</summary>
    protected static long[] Broadcast(long[] a, long[] b)
    {
        int rank = Math.Max(a.Length, b.Length);
        var r = new long[rank];
        for (int i = 0; i < rank; i++)
        {
            long x = i - (rank - a.Length) >= 0 ? a[i - (rank - a.Length)] : 1;
            long y = i - (rank - b.Length) >= 0 ? b[i - (rank - b.Length)] : 1;
            if (x != y && x != 1 && y != 1) throw new ArgumentException($"shapes [{string.Join(", ", a)}] and [{string.Join(", ", b)}] do not broadcast");
            r[i] = Math.Max(x, y);
        }
        return r;
    }

    /// <summary>Result shape of a concatenation (checks that the other axes agree).</summary>
    protected static long[] ConcatShape(IReadOnlyList<OnnxValue> inputs, int axis)
    {
        var shape = (long[])inputs[0].Shape.Clone();
        shape[axis] = inputs.Sum(v => v.Shape[axis]);
        foreach (var v in inputs)
            for (int i = 0; i < shape.Length; i++)
                if (i != axis && v.Shape[i] != shape[i]) throw new ArgumentException($"Concat on axis {axis}: {v} does not match {inputs[0]}");
        return shape;
    }

    /// <summary>Result shape of a slice (checks the range).</summary>
    protected static long[] SliceShape(OnnxValue x, int axis, long start, long end)
    {
        if (start < 0 || end > x.Shape[axis] || start >= end) throw new ArgumentOutOfRangeException(nameof(start), $"slice [{start}, {end}) of {x} on axis {axis}");
        var shape = (long[])x.Shape.Clone();
        shape[axis] = end - start;
        return shape;
    }

    /// <summary>Checks a reshape (batch kept, element count kept).</summary>
    protected static void CheckReshape(OnnxValue x, long[] shape)
    {
        if (shape[0] != x.Shape[0]) throw new ArgumentException($"Reshape must keep the batch dimension: {x} → [{string.Join(", ", shape)}]");
        if (shape.Aggregate(1L, (a, v) => a * v) != x.Shape.Aggregate(1L, (a, v) => a * v))
            throw new ArgumentException($"Reshape {x} → [{string.Join(", ", shape)}] changes the element count");
    }

    /// <summary>Checks a transpose (a full permutation keeping the batch first) and returns the result shape.</summary>
    protected static long[] TransposeShape(OnnxValue x, int[] perm)
    {
        if (perm.Length != x.Rank || perm[0] != 0) throw new ArgumentException($"Transpose of {x} needs a full permutation keeping axis 0 first");
        return perm.Select(i => x.Shape[i]).ToArray();
    }

    /// <summary>Result shape of a matrix product with numpy semantics.</summary>
    protected static long[] MatMulShape(OnnxValue a, OnnxValue b)
    {
        if (a.Rank < 2 || b.Rank < 2 || a.Shape[^1] != b.Shape[^2]) throw new ArgumentException($"MatMul {a} × {b}: inner dimensions differ");
        var batch = Broadcast(a.Shape[..^2], b.Shape[..^2]);
        return [.. batch, a.Shape[^2], b.Shape[^1]];
    }

    /// <summary>Output spatial size of a convolution along one axis.</summary>
    protected static long ConvOut(long n, long k, long s, long p, long d) => (n + 2 * p - d * (k - 1) - 1) / s + 1;

    private sealed class NoScope : IDisposable
    {
        public static readonly NoScope Instance = new();

        public void Dispose()
        {
        }
    }
}
