using NanoDet.Abstractions.Export;
using NanoDet.Compute.Fused;
using NanoDet.Compute.Runtime;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace NanoDet.Export;

/// <summary>
/// Writes a module's inference graph (the same <see cref="IOnnxExportable"/> walk the ONNX and TorchScript writers
/// use) as a <see cref="FusedProgram"/>: BatchNorm folded into each convolution, activations applied as the
/// convolution stores its outputs, ShuffleNet's concatenate-and-shuffle as one copy, reshapes and leading slices as
/// views. Anything the fused operations do not cover (grouped convolutions that are not depthwise, dilation, a stride
/// above 2, an ONNX-only op, a constant) throws <see cref="NotSupportedException"/>.
/// </summary>
internal sealed class FusedGraphBuilder : ModuleGraphBuilder
{
    private readonly Dictionary<string, FusedValue> _values = new(StringComparer.Ordinal);
    private readonly List<long> _storages = [];
    private readonly List<FusedOp> _ops = [];
    private readonly Dictionary<string, (string A, string B)> _pairInputs = new(StringComparer.Ordinal);
    private int _counter;

    /// <param name="inputShape">[B, 3, H, W].</param>
    public FusedGraphBuilder(long[] inputShape)
    {
        Input = new OnnxValue("x", inputShape);
        _values["x"] = NewValue(inputShape);
    }

    /// <summary>The input value, named <c>x</c>.</summary>
    public OnnxValue Input { get; }

    public override int Opset => 17;

    /// <summary>The program computing <paramref name="output"/> on <paramref name="threads"/> threads (operations nothing reads are dropped).</summary>
    public FusedProgram Build(OnnxValue output, int threads = 1)
    {
        var result = _values[output.Name];
        var live = new HashSet<int> { result.Storage };
        var kept = new List<FusedOp>();
        for (int i = _ops.Count - 1; i >= 0; i--)
        {
            var op = _ops[i];
            if (!live.Contains(op.Output.Storage))
            {
                (op as IDisposable)?.Dispose();
                continue;
            }
            kept.Add(op);
            foreach (var v in op.Inputs) live.Add(v.Storage);
        }
        kept.Reverse();
        _ops.Clear();
        return new FusedProgram(_storages, kept, _values["x"], result, threads);
    }

    private FusedValue NewValue(long[] shape)
    {
        _storages.Add(shape.Aggregate(1L, (a, v) => a * v));
        return new FusedValue(_storages.Count - 1, 0, shape);
    }

    private OnnxValue Emit(FusedOp op)
    {
        _ops.Add(op);
        return Name(op.Output);
    }

    private OnnxValue Name(FusedValue value)
    {
        var name = $"v{_counter++}";
        _values[name] = value;
        return new OnnxValue(name, value.Shape);
    }

    private FusedValue Of(OnnxValue v) => _values[v.Name];

    protected override OnnxValue Conv(OnnxValue x, Tensor convWeight, Tensor? convBias, long[] k, long[] s, long[] p, long[] d,
        long groups, BatchNorm2d? batchNorm)
    {
        var input = Of(x);
        if (input.Shape.Length != 4) throw new ArgumentException($"Conv expects [B, C, H, W], got {x}");
        long cout = convWeight.shape[0], cin = convWeight.shape[1] * groups;
        if (input.Shape[1] != cin) throw new ArgumentException($"Conv expects {cin} input channels, got {x}");
        if (!FusedOps.Conv.Supports((int)cin, (int)cout, (int)k[0], (int)k[1], (int)s[0], (int)s[1], (int)d[0], (int)d[1], groups))
            throw new NotSupportedException($"convolution {cin}→{cout} {k[0]}×{k[1]} stride {s[0]}×{s[1]} dilation {d[0]}×{d[1]} groups {groups} has no fused kernel");
        float[] weight, bias;
        using (var scope = NewDisposeScope())
        {
            var (w, b) = batchNorm is null ? (convWeight.detach().to(ScalarType.Float32), convBias?.detach().to(ScalarType.Float32))
                : FoldedBatchNorm(convWeight, convBias, batchNorm);
            weight = TensorArrays.ToFloatArray(w);
            bias = b is null ? new float[cout] : TensorArrays.ToFloatArray(b);
        }
        long oh = ConvOut(input.Shape[2], k[0], s[0], p[0], d[0]), ow = ConvOut(input.Shape[3], k[1], s[1], p[1], d[1]);
        var output = NewValue([input.Shape[0], cout, oh, ow]);
        return Emit(new FusedOps.Conv(output, input, weight, bias, (int)k[0], (int)k[1], (int)s[0], (int)p[0], (int)p[1], groups));
    }

    protected override OnnxValue StandaloneBatchNorm(OnnxValue x, BatchNorm2d bn)
    {
        var input = Of(x);
        var (scale, shift) = StandaloneBatchNormAffine(bn, input.Shape[1]);
        using (scale)
        using (shift)
            return Emit(new FusedOps.ChannelAffine(NewValue(input.Shape), input, TensorArrays.ToFloatArray(scale), TensorArrays.ToFloatArray(shift)));
    }

    protected override OnnxValue MaxPool(OnnxValue x, MaxPool2d pool, long[] k, long[] s, long[] p, long[] shape)
    {
        if (s[0] != s[1] || s[0] is not (1 or 2)) throw new NotSupportedException($"max pool stride {s[0]}×{s[1]} has no fused kernel");
        return Emit(new FusedOps.MaxPool(NewValue(shape), Of(x), (int)k[0], (int)k[1], (int)s[0], (int)p[0], (int)p[1]));
    }

    public override OnnxValue Activation(OnnxValue x, nn.Module? activation)
    {
        if (activation is null or Identity or Sequential { Count: 0 }) return x;
        var input = Of(x);
        var output = NewValue(input.Shape);
        FusedOp op = activation switch
        {
            ReLU => new FusedOps.Activation(output, input, new Epilogue(FusedActivation.Relu)),
            LeakyReLU leaky when leaky.negative_slope is >= 0 and <= 1 =>
                new FusedOps.Activation(output, input, new Epilogue(FusedActivation.Leaky, (float)leaky.negative_slope)),
            ReLU6 => new FusedOps.Activation(output, input, new Epilogue(FusedActivation.Relu6)),
            TorchSharp.Modules.Sigmoid => new FusedOps.Sigmoid(output, input),
            SiLU => new FusedOps.Activation(output, input, "silu", v => v * Logistic(v)),
            Hardswish => new FusedOps.Activation(output, input, "hardswish", v => v * Math.Clamp(v + 3f, 0f, 6f) / 6f),
            ELU elu => new FusedOps.Activation(output, input, "elu", v => v > 0 ? v : (float)elu.alpha * (MathF.Exp(v) - 1f)),
            _ => throw new NotSupportedException($"activation {activation.GetType().Name} has no fused form"),
        };
        return Emit(op);
    }

    private static float Logistic(float v) => 1f / (1f + MathF.Exp(-v));

    public override OnnxValue Binary(string opType, OnnxValue a, OnnxValue b) =>
        Emit(new FusedOps.Binary(NewValue(Broadcast(a.Shape, b.Shape)), Of(a), Of(b), opType));

    public override OnnxValue Concat(IReadOnlyList<OnnxValue> inputs, int axis)
    {
        var shape = ConcatShape(inputs, axis);
        var value = Emit(new FusedOps.Concat(NewValue(shape), inputs.Select(Of).ToArray(), axis));
        if (inputs.Count == 2 && axis == 1 && shape.Length == 4 && inputs[0].Shape[1] == inputs[1].Shape[1])
            _pairInputs[value.Name] = (inputs[0].Name, inputs[1].Name);
        return value;
    }

    public override OnnxValue Slice(OnnxValue x, int axis, long start, long end)
    {
        var shape = SliceShape(x, axis, start, end);
        var input = Of(x);
        long outer = input.Shape.Take(axis).Aggregate(1L, (a, v) => a * v);
        long inner = input.Shape.Skip(axis + 1).Aggregate(1L, (a, v) => a * v);
        // One contiguous run when nothing precedes the axis: a view.
        if (outer == 1) return Name(new FusedValue(input.Storage, input.Offset + start * inner, shape));
        return Emit(new FusedOps.SliceCopy(NewValue(shape), input, axis, start));
    }

    public override OnnxValue Reshape(OnnxValue x, params long[] shape)
    {
        CheckReshape(x, shape);
        var input = Of(x);
        var view = Name(new FusedValue(input.Storage, input.Offset, shape));
        if (_pairInputs.TryGetValue(x.Name, out var pair) && shape.Length == 5 && shape[1] == 2 && shape[2] * 2 == x.Shape[1])
            _pairInputs[view.Name] = pair;
        return view;
    }

    public override OnnxValue Transpose(OnnxValue x, params int[] perm)
    {
        var shape = TransposeShape(x, perm);
        // [B, 2, C/2, H, W] of a two-way channel concatenation, transposed to [B, C/2, 2, H, W]: read contiguously,
        // that is the channel shuffle, which one interleaving copy of the two halves writes directly.
        if (perm.SequenceEqual([0, 2, 1, 3, 4]) && _pairInputs.TryGetValue(x.Name, out var pair))
        {
            var (a, b) = (Of(new OnnxValue(pair.A, [])), Of(new OnnxValue(pair.B, [])));
            var shuffled = NewValue([a.Shape[0], 2 * a.Shape[1], a.Shape[2], a.Shape[3]]);
            _ops.Add(new FusedOps.ShuffleConcat(shuffled, a, b));
            return Name(shuffled with { Shape = shape });
        }
        return Emit(new FusedOps.Transpose(NewValue(shape), Of(x), perm));
    }

    public override OnnxValue Upsample(OnnxValue x, int scale, bool bilinear, bool alignCorners)
    {
        var input = Of(x);
        return Emit(new FusedOps.Upsample(NewValue([input.Shape[0], input.Shape[1], input.Shape[2] * scale, input.Shape[3] * scale]), input,
            bilinear, alignCorners));
    }

    public override OnnxValue Sigmoid(OnnxValue x)
    {
        var input = Of(x);
        return Emit(new FusedOps.Sigmoid(NewValue(input.Shape), input));
    }

    public override OnnxValue SoftmaxLastAxis(OnnxValue x)
    {
        var input = Of(x);
        return Emit(new FusedOps.SoftmaxLastAxis(NewValue(input.Shape), input));
    }

    public override OnnxValue MatMul(OnnxValue a, OnnxValue b) => throw new NotSupportedException("MatMul has no fused form here");

    public override OnnxValue Constant(string name, float[] values, long[] shape) =>
        throw new NotSupportedException($"constant '{name}' has no fused form here");

    public override OnnxValue Op(string opType, IReadOnlyList<OnnxValue> inputs, long[] outputShape, IReadOnlyDictionary<string, object>? attributes = null) =>
        throw new NotSupportedException($"ONNX op {opType} has no fused form here");

}
