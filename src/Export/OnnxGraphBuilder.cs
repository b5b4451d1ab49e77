using System.Globalization;
using System.Runtime.InteropServices;
using Google.Protobuf;
using NanoDet.Abstractions.Export;
using NanoDet.Compute.Layers;
using NanoDet.Inference.Onnx;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace NanoDet.Export;

/// <summary>
/// The host's <see cref="IOnnxGraphBuilder"/>: collects nodes and float32 initializers, infers static shapes,
/// folds BatchNorm into convolutions and counts convolution multiply-accumulates (NanoDet's FLOPs convention, docs/reference.md#reference-figures:
/// conv MACs only, FLOPs = 2 × MACs). <see cref="Build"/> produces the <see cref="ModelProto"/>.
/// </summary>
internal sealed class OnnxGraphBuilder : IOnnxGraphBuilder
{
    private readonly List<NodeProto> _nodes = [];
    private readonly List<TensorProto> _initializers = [];
    private readonly List<ValueInfoProto> _inputs = [];
    private readonly List<ValueInfoProto> _outputs = [];
    private readonly HashSet<string> _names = new(StringComparer.Ordinal);
    private readonly List<string> _scope = [];
    private readonly bool _dynamicBatch;

    /// <param name="opset">ai.onnx opset (11 or higher; the ops used here are stable from 11 to 17).</param>
    /// <param name="dynamicBatch">Write the batch dimension of inputs and outputs as the symbol <c>batch</c>.</param>
    public OnnxGraphBuilder(int opset = 11, bool dynamicBatch = false)
    {
        if (opset is < 11 or > 17) throw new ArgumentOutOfRangeException(nameof(opset), opset, "supported opsets: 11..17");
        Opset = opset;
        _dynamicBatch = dynamicBatch;
    }

    public int Opset { get; }

    /// <summary>Convolution multiply-accumulates for one image (batch 1).</summary>
    public long ConvMacs { get; private set; }

    /// <summary>Convolution weights (BatchNorm and biases excluded, NanoDet's "Params", docs/reference.md#reference-figures).</summary>
    public long ConvWeights { get; private set; }

    /// <summary>Op types used so far, sorted.</summary>
    public IReadOnlyList<string> OpTypes => _nodes.Select(n => n.OpType).Distinct().Order(StringComparer.Ordinal).ToList();

    public IDisposable Scope(string name)
    {
        _scope.Add(name);
        return new ScopeExit(_scope);
    }

    /// <summary>Declares a graph input: float32 of <paramref name="shape"/> (dim 0 symbolic with dynamic batch).</summary>
    public OnnxValue Input(string name, long[] shape)
    {
        if (!_names.Add(name)) throw new ArgumentException($"value name '{name}' is already used", nameof(name));
        _inputs.Add(ValueInfo(name, shape));
        return new OnnxValue(name, shape);
    }

    /// <summary>Makes <paramref name="value"/> a graph output called <paramref name="name"/> (renaming the producing node's output).</summary>
    public OnnxValue Output(OnnxValue value, string name)
    {
        if (!_names.Add(name)) throw new ArgumentException($"value name '{name}' is already used", nameof(name));
        foreach (var node in _nodes)
        {
            for (int i = 0; i < node.Output.Count; i++) if (node.Output[i] == value.Name) node.Output[i] = name;
            for (int i = 0; i < node.Input.Count; i++) if (node.Input[i] == value.Name) node.Input[i] = name;
        }
        _outputs.Add(ValueInfo(name, value.Shape));
        return value with { Name = name };
    }

    /// <summary>The finished model: IR version 7, this opset, the given metadata properties.</summary>
    public ModelProto Build(string graphName, IReadOnlyDictionary<string, string> metadata)
    {
        var graph = new GraphProto { Name = graphName };
        graph.Node.AddRange(_nodes);
        graph.Initializer.AddRange(_initializers);
        graph.Input.AddRange(_inputs);
        graph.Output.AddRange(_outputs);
        var model = new ModelProto
        {
            IrVersion = 7,
            ProducerName = "nanodet-4p",
            ProducerVersion = typeof(OnnxGraphBuilder).Assembly.GetName().Version?.ToString() ?? "0",
            Graph = graph,
        };
        model.OpsetImport.Add(new OperatorSetIdProto { Domain = "", Version = Opset });
        foreach (var (k, v) in metadata) model.MetadataProps.Add(new StringStringEntryProto { Key = k, Value = v });
        return model;
    }

    public OnnxValue Module(nn.Module module, OnnxValue input)
    {
        switch (module)
        {
            case IOnnxExportable exportable:
                var outputs = exportable.ExportOnnx(this, [input]);
                if (outputs.Count != 1)
                    throw new NotSupportedException($"{module.GetType().Name} returned {outputs.Count} ONNX outputs where one was expected");
                return outputs[0];
            case Sequential sequential:
                return SequentialChain(sequential, input);
            case AdaptiveConv2d conv:
                return Conv(input, conv);
            case Conv2d torchConv:
                return Conv(input, torchConv);
            case BatchNorm2d bn:
                return StandaloneBatchNorm(input, bn);
            case MaxPool2d pool:
                return MaxPool(input, pool);
            default:
                if (IsActivation(module)) return Activation(input, module);
                throw new NotSupportedException(
                    $"{module.GetType().FullName} cannot be exported to ONNX: implement {nameof(IOnnxExportable)} on it");
        }
    }

    public IReadOnlyList<OnnxValue> Module(nn.Module module, IReadOnlyList<OnnxValue> inputs)
    {
        if (module is IOnnxExportable exportable) return exportable.ExportOnnx(this, inputs);
        if (inputs.Count == 1) return [Module(module, inputs[0])];
        throw new NotSupportedException(
            $"{module.GetType().FullName} cannot be exported to ONNX: implement {nameof(IOnnxExportable)} on it");
    }

    /// <summary>Children in order; a convolution directly followed by a BatchNorm2d becomes one folded Conv.</summary>
    private OnnxValue SequentialChain(Sequential sequential, OnnxValue x)
    {
        var children = sequential.named_children().ToList();
        for (int i = 0; i < children.Count; i++)
        {
            var (name, child) = children[i];
            using var _ = Scope(name);
            if (child is AdaptiveConv2d or Conv2d && i + 1 < children.Count && children[i + 1].module is BatchNorm2d bn)
            {
                x = child is AdaptiveConv2d conv ? Conv(x, conv, bn) : Conv(x, (Conv2d)child, bn);
                i++;
            }
            else
            {
                x = Module(child, x);
            }
        }
        return x;
    }

    public OnnxValue Conv(OnnxValue x, nn.Module conv, BatchNorm2d? batchNorm = null) => conv switch
    {
        AdaptiveConv2d adaptive => Conv(x, adaptive, batchNorm),
        Conv2d plain => Conv(x, plain, batchNorm),
        _ => throw new NotSupportedException($"{conv.GetType().Name} is not a convolution the ONNX writer knows"),
    };

    private OnnxValue Conv(OnnxValue x, AdaptiveConv2d conv, BatchNorm2d? batchNorm)
    {
        var g = conv.Geometry;
        return Conv(x, conv.weight, conv.bias, [g.KernelH, g.KernelW], [g.StrideH, g.StrideW], [g.PadH, g.PadW],
            [g.DilationH, g.DilationW], g.Groups, batchNorm);
    }

    private OnnxValue Conv(OnnxValue x, Conv2d conv, BatchNorm2d? batchNorm)
    {
        if (conv.padding_mode != TorchSharp.PaddingModes.Zeros)
            throw new NotSupportedException($"Conv2d with padding mode {conv.padding_mode} cannot be exported (only zeros)");
        if (conv.padding is null)
            throw new NotSupportedException("Conv2d with string padding ('same'/'valid') cannot be exported; give explicit padding");
        return Conv(x, conv.weight, conv.bias, conv.kernel_size, conv.stride, conv.padding, conv.dilation, conv.groups, batchNorm);
    }

    private OnnxValue Conv(OnnxValue x, Tensor convWeight, Tensor? convBias, long[] k, long[] s, long[] p, long[] d, long groups,
        BatchNorm2d? batchNorm)
    {
        if (x.Rank != 4) throw new ArgumentException($"Conv expects [B, C, H, W], got {x}");
        long cout = convWeight.shape[0], cin = convWeight.shape[1] * groups;
        if (x.Shape[1] != cin) throw new ArgumentException($"Conv expects {cin} input channels, got {x}");

        var weight = Floats(convWeight);
        var bias = convBias is { } b ? Floats(b) : new float[cout];
        if (batchNorm is not null) Fold(weight, bias, batchNorm, cout);

        long oh = (x.Shape[2] + 2 * p[0] - d[0] * (k[0] - 1) - 1) / s[0] + 1;
        long ow = (x.Shape[3] + 2 * p[1] - d[1] * (k[1] - 1) - 1) / s[1] + 1;
        long perOutput = cin / groups * k[0] * k[1];
        ConvMacs += cout * oh * ow * perOutput;
        ConvWeights += weight.Length;

        var w = Constant("weight", weight, [cout, cin / groups, k[0], k[1]]);
        var bv = Constant("bias", bias, [cout]);
        return Node("Conv", [x, w, bv], [x.Shape[0], cout, oh, ow],
            ("kernel_shape", k), ("strides", s), ("pads", new[] { p[0], p[1], p[0], p[1] }), ("dilations", d), ("group", groups));
    }

    /// <summary>W' = W·γ/√(σ²+ε) per output channel; b' = (b − μ)·γ/√(σ²+ε) + β (double precision, then float32).</summary>
    private static void Fold(float[] weight, float[] bias, BatchNorm2d bn, long cout)
    {
        if (bn.running_mean is null || bn.running_var is null)
            throw new NotSupportedException("BatchNorm2d without running statistics cannot be folded");
        var mean = Floats(bn.running_mean);
        var variance = Floats(bn.running_var);
        var gamma = bn.weight is { } g ? Floats(g) : Enumerable.Repeat(1f, (int)cout).ToArray();
        var beta = bn.bias is { } bt ? Floats(bt) : new float[cout];
        if (mean.Length != cout) throw new ArgumentException($"BatchNorm2d has {mean.Length} channels, the conv {cout}");
        int per = weight.Length / (int)cout;
        for (int o = 0; o < cout; o++)
        {
            double scale = gamma[o] / Math.Sqrt(variance[o] + bn.eps);
            for (int i = 0; i < per; i++) weight[o * per + i] = (float)(weight[o * per + i] * scale);
            bias[o] = (float)((bias[o] - mean[o]) * scale + beta[o]);
        }
    }

    /// <summary>A BatchNorm2d with no conv before it: x·scale + shift with [C, 1, 1] constants.</summary>
    private OnnxValue StandaloneBatchNorm(OnnxValue x, BatchNorm2d bn)
    {
        long c = x.Shape[1];
        var weight = Enumerable.Repeat(1f, (int)c).ToArray();
        var bias = new float[c];
        Fold(weight, bias, bn, c);
        var scaled = Binary("Mul", x, Constant("bn_scale", weight, [c, 1, 1]));
        return Binary("Add", scaled, Constant("bn_shift", bias, [c, 1, 1]));
    }

    private OnnxValue MaxPool(OnnxValue x, MaxPool2d pool)
    {
        long[] k = Pair(pool.kernel_size), s = Pair(pool.stride ?? pool.kernel_size), p = Pair(pool.padding ?? [0]);
        long[] d = Pair(pool.dilation ?? [1]);
        if (d[0] != 1 || d[1] != 1) throw new NotSupportedException("MaxPool2d with dilation cannot be exported");
        long oh = Pooled(x.Shape[2], k[0], s[0], p[0], pool.ceil_mode);
        long ow = Pooled(x.Shape[3], k[1], s[1], p[1], pool.ceil_mode);
        // ceil_mode only when set: OpenCV's importer rejects the attribute even at its default 0.
        (string, object)[] attributes = pool.ceil_mode
            ? [("kernel_shape", k), ("strides", s), ("pads", new[] { p[0], p[1], p[0], p[1] }), ("ceil_mode", 1L)]
            : [("kernel_shape", k), ("strides", s), ("pads", new[] { p[0], p[1], p[0], p[1] })];
        return Node("MaxPool", [x], [x.Shape[0], x.Shape[1], oh, ow], attributes);
    }

    private static long Pooled(long n, long k, long s, long p, bool ceil)
    {
        long span = n + 2 * p - k;
        long o = (ceil ? (span + s - 1) / s : span / s) + 1;
        if (ceil && (o - 1) * s >= n + p) o--;
        return o;
    }

    private static long[] Pair(long[] v) => v.Length == 1 ? [v[0], v[0]] : v;

    private static bool IsActivation(nn.Module m) =>
        m is ReLU or LeakyReLU or ReLU6 or SiLU or Hardswish or ELU or SELU or GELU or PReLU or TorchSharp.Modules.Sigmoid or Identity;

    public OnnxValue Activation(OnnxValue x, nn.Module? activation)
    {
        switch (activation)
        {
            case null or Identity:
                return x;
            case Sequential { Count: 0 }:
                return x;
            case ReLU:
                return Node("Relu", [x], x.Shape);
            case LeakyReLU leaky:
                return Node("LeakyRelu", [x], x.Shape, ("alpha", (float)leaky.negative_slope));
            case ReLU6:
                return Node("Clip", [x, Constant("min", [0f], []), Constant("max", [6f], [])], x.Shape);
            case TorchSharp.Modules.Sigmoid:
                return Sigmoid(x);
            case SiLU:
                return Binary("Mul", x, Sigmoid(x));
            case ELU elu:
                return Node("Elu", [x], x.Shape, ("alpha", (float)elu.alpha));
            case SELU:
                return Node("Selu", [x], x.Shape);
            case Hardswish:
                return Opset >= 14
                    ? Node("HardSwish", [x], x.Shape)
                    : Binary("Mul", x, Node("HardSigmoid", [x], x.Shape, ("alpha", 1f / 6), ("beta", 0.5f)));
            case GELU gelu:
                if (gelu.approximate != GELU.Approximate.none)
                    throw new NotSupportedException("GELU with the tanh approximation cannot be exported");
                var erf = Node("Erf", [Binary("Div", x, Constant("sqrt2", [MathF.Sqrt(2f)], []))], x.Shape);
                var half = Binary("Mul", x, Constant("half", [0.5f], []));
                return Binary("Mul", half, Binary("Add", erf, Constant("one", [1f], [])));
            case PReLU prelu:
                var slope = Floats(prelu.weight);
                return Node("PRelu", [x, slope.Length == 1 ? Constant("slope", slope, [1]) : Constant("slope", slope, [slope.Length, 1, 1])], x.Shape);
            default:
                throw new NotSupportedException($"activation {activation.GetType().FullName} cannot be exported to ONNX");
        }
    }

    public OnnxValue Binary(string opType, OnnxValue a, OnnxValue b)
    {
        if (opType is not ("Add" or "Sub" or "Mul" or "Div" or "Min" or "Max"))
            throw new ArgumentException($"'{opType}' is not an elementwise binary op", nameof(opType));
        return Node(opType, [a, b], Broadcast(a.Shape, b.Shape));
    }

    private static long[] Broadcast(long[] a, long[] b)
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

    public OnnxValue Concat(IReadOnlyList<OnnxValue> inputs, int axis)
    {
        var shape = (long[])inputs[0].Shape.Clone();
        shape[axis] = inputs.Sum(v => v.Shape[axis]);
        foreach (var v in inputs)
            for (int i = 0; i < shape.Length; i++)
                if (i != axis && v.Shape[i] != shape[i]) throw new ArgumentException($"Concat on axis {axis}: {v} does not match {inputs[0]}");
        return Node("Concat", inputs, shape, ("axis", (long)axis));
    }

    public OnnxValue Slice(OnnxValue x, int axis, long start, long end)
    {
        if (start < 0 || end > x.Shape[axis] || start >= end) throw new ArgumentOutOfRangeException(nameof(start), $"slice [{start}, {end}) of {x} on axis {axis}");
        var shape = (long[])x.Shape.Clone();
        shape[axis] = end - start;
        return Node("Slice", [x, Int64s("starts", [start]), Int64s("ends", [end]), Int64s("axes", [axis])], shape);
    }

    public OnnxValue Reshape(OnnxValue x, params long[] shape)
    {
        if (shape[0] != x.Shape[0]) throw new ArgumentException($"Reshape must keep the batch dimension: {x} → [{string.Join(", ", shape)}]");
        if (shape.Aggregate(1L, (a, v) => a * v) != x.Shape.Aggregate(1L, (a, v) => a * v))
            throw new ArgumentException($"Reshape {x} → [{string.Join(", ", shape)}] changes the element count");
        var written = (long[])shape.Clone();
        written[0] = 0; // copy: the batch stays whatever the input has
        return Node("Reshape", [x, Int64s("shape", written)], shape);
    }

    public OnnxValue Transpose(OnnxValue x, params int[] perm)
    {
        if (perm.Length != x.Rank || perm[0] != 0) throw new ArgumentException($"Transpose of {x} needs a full permutation keeping axis 0 first");
        return Node("Transpose", [x], perm.Select(i => x.Shape[i]).ToArray(), ("perm", perm.Select(i => (long)i).ToArray()));
    }

    public OnnxValue Upsample(OnnxValue x, int scale, bool bilinear, bool alignCorners)
    {
        long[] shape = [x.Shape[0], x.Shape[1], x.Shape[2] * scale, x.Shape[3] * scale];
        var roi = Constant("roi", [], [0]);
        var scales = Constant("scales", [1f, 1f, scale, scale], [4]);
        return bilinear
            ? Node("Resize", [x, roi, scales], shape, ("mode", "linear"),
                ("coordinate_transformation_mode", alignCorners ? "align_corners" : "half_pixel"))
            : Node("Resize", [x, roi, scales], shape, ("mode", "nearest"),
                ("coordinate_transformation_mode", "asymmetric"), ("nearest_mode", "floor"));
    }

    public OnnxValue Sigmoid(OnnxValue x) => Node("Sigmoid", [x], x.Shape);

    public OnnxValue SoftmaxLastAxis(OnnxValue x) => Node("Softmax", [x], x.Shape, ("axis", (long)(x.Rank - 1)));

    public OnnxValue MatMul(OnnxValue a, OnnxValue b)
    {
        if (a.Rank < 2 || b.Rank < 2 || a.Shape[^1] != b.Shape[^2]) throw new ArgumentException($"MatMul {a} × {b}: inner dimensions differ");
        var batch = Broadcast(a.Shape[..^2], b.Shape[..^2]);
        return Node("MatMul", [a, b], [.. batch, a.Shape[^2], b.Shape[^1]]);
    }

    public OnnxValue Constant(string name, float[] values, long[] shape)
    {
        if (shape.Aggregate(1L, (a, v) => a * v) != values.Length)
            throw new ArgumentException($"constant '{name}': {values.Length} values for shape [{string.Join(", ", shape)}]");
        var unique = Unique(name);
        var t = new TensorProto { Name = unique, DataType = (int)TensorProto.Types.DataType.Float };
        t.Dims.AddRange(shape);
        t.RawData = ByteString.CopyFrom(MemoryMarshal.AsBytes(values.AsSpan()));
        _initializers.Add(t);
        return new OnnxValue(unique, shape);
    }

    private OnnxValue Int64s(string name, long[] values)
    {
        var unique = Unique(name);
        var t = new TensorProto { Name = unique, DataType = (int)TensorProto.Types.DataType.Int64 };
        t.Dims.Add(values.Length);
        t.RawData = ByteString.CopyFrom(MemoryMarshal.AsBytes(values.AsSpan()));
        _initializers.Add(t);
        return new OnnxValue(unique, [values.Length]);
    }

    public OnnxValue Op(string opType, IReadOnlyList<OnnxValue> inputs, long[] outputShape, IReadOnlyDictionary<string, object>? attributes = null) =>
        Node(opType, inputs, outputShape, attributes?.Select(kv => (kv.Key, kv.Value)).ToArray() ?? []);

    private OnnxValue Node(string opType, IReadOnlyList<OnnxValue> inputs, long[] shape, params (string Name, object Value)[] attributes)
    {
        var output = Unique(opType);
        var node = new NodeProto { OpType = opType, Name = output };
        node.Input.AddRange(inputs.Select(v => v.Name));
        node.Output.Add(output);
        foreach (var (name, value) in attributes) node.Attribute.Add(Attribute(name, value));
        _nodes.Add(node);
        return new OnnxValue(output, shape);
    }

    private static AttributeProto Attribute(string name, object value)
    {
        var a = new AttributeProto { Name = name };
        switch (value)
        {
            case long l: a.Type = AttributeProto.Types.AttributeType.Int; a.I = l; break;
            case int i: a.Type = AttributeProto.Types.AttributeType.Int; a.I = i; break;
            case float f: a.Type = AttributeProto.Types.AttributeType.Float; a.F = f; break;
            case double d: a.Type = AttributeProto.Types.AttributeType.Float; a.F = (float)d; break;
            case string s: a.Type = AttributeProto.Types.AttributeType.String; a.S = ByteString.CopyFromUtf8(s); break;
            case long[] ls: a.Type = AttributeProto.Types.AttributeType.Ints; a.Ints.AddRange(ls); break;
            case int[] ints: a.Type = AttributeProto.Types.AttributeType.Ints; a.Ints.AddRange(ints.Select(v => (long)v)); break;
            case float[] fs: a.Type = AttributeProto.Types.AttributeType.Floats; a.Floats.AddRange(fs); break;
            default: throw new ArgumentException($"attribute '{name}': unsupported value type {value.GetType().Name}");
        }
        return a;
    }

    /// <summary>A name unique in the graph, prefixed by the current scope.</summary>
    private string Unique(string stem)
    {
        var baseName = _scope.Count == 0 ? stem : string.Join('.', _scope) + "." + stem;
        var name = baseName;
        for (int i = 1; !_names.Add(name); i++) name = baseName + "_" + i.ToString(CultureInfo.InvariantCulture);
        return name;
    }

    private ValueInfoProto ValueInfo(string name, long[] shape)
    {
        var tensorShape = new TensorShapeProto();
        for (int i = 0; i < shape.Length; i++)
            tensorShape.Dim.Add(i == 0 && _dynamicBatch
                ? new TensorShapeProto.Types.Dimension { DimParam = "batch" }
                : new TensorShapeProto.Types.Dimension { DimValue = shape[i] });
        return new ValueInfoProto
        {
            Name = name,
            Type = new TypeProto { TensorType = new TypeProto.Types.Tensor { ElemType = (int)TensorProto.Types.DataType.Float, Shape = tensorShape } },
        };
    }

    private static float[] Floats(Tensor t)
    {
        using var c = t.detach().cpu().to_type(ScalarType.Float32).contiguous();
        return c.data<float>().ToArray();
    }

    private sealed class ScopeExit(List<string> scope) : IDisposable
    {
        private readonly int _depth = scope.Count;

        public void Dispose()
        {
            if (scope.Count >= _depth) scope.RemoveRange(_depth - 1, scope.Count - _depth + 1);
        }
    }
}
