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
internal sealed class OnnxGraphBuilder : ModuleGraphBuilder
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

    public override int Opset { get; }

    /// <summary>Convolution multiply-accumulates for one image (batch 1).</summary>
    public long ConvMacs { get; private set; }

    /// <summary>Convolution weights (BatchNorm and biases excluded, NanoDet's "Params", docs/reference.md#reference-figures).</summary>
    public long ConvWeights { get; private set; }

    /// <summary>Op types used so far, sorted.</summary>
    public IReadOnlyList<string> OpTypes => _nodes.Select(n => n.OpType).Distinct().Order(StringComparer.Ordinal).ToList();

    public override IDisposable Scope(string name)
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

    protected override OnnxValue Conv(OnnxValue x, Tensor convWeight, Tensor? convBias, long[] k, long[] s, long[] p, long[] d,
        long groups, BatchNorm2d? batchNorm)
    {
        if (x.Rank != 4) throw new ArgumentException($"Conv expects [B, C, H, W], got {x}");
        long cout = convWeight.shape[0], cin = convWeight.shape[1] * groups;
        if (x.Shape[1] != cin) throw new ArgumentException($"Conv expects {cin} input channels, got {x}");

        float[] weight, bias;
        if (batchNorm is null)
        {
            weight = Floats(convWeight);
            bias = convBias is { } b ? Floats(b) : new float[cout];
        }
        else
        {
            var (fw, fb) = FoldedBatchNorm(convWeight, convBias, batchNorm);
            using (fw)
            using (fb)
                (weight, bias) = (Floats(fw), Floats(fb));
        }

        long oh = ConvOut(x.Shape[2], k[0], s[0], p[0], d[0]);
        long ow = ConvOut(x.Shape[3], k[1], s[1], p[1], d[1]);
        long perOutput = cin / groups * k[0] * k[1];
        ConvMacs += cout * oh * ow * perOutput;
        ConvWeights += weight.Length;

        var w = Constant("weight", weight, [cout, cin / groups, k[0], k[1]]);
        var bv = Constant("bias", bias, [cout]);
        return Node("Conv", [x, w, bv], [x.Shape[0], cout, oh, ow],
            ("kernel_shape", k), ("strides", s), ("pads", new[] { p[0], p[1], p[0], p[1] }), ("dilations", d), ("group", groups));
    }

    /// <summary>A BatchNorm2d with no conv before it: x·scale + shift with [C, 1, 1] constants.</summary>
    protected override OnnxValue StandaloneBatchNorm(OnnxValue x, BatchNorm2d bn)
    {
        long c = x.Shape[1];
        var (w, b) = StandaloneBatchNormAffine(bn, c);
        float[] weight, bias;
        using (w)
        using (b)
            (weight, bias) = (Floats(w), Floats(b));
        var scaled = Binary("Mul", x, Constant("bn_scale", weight, [c, 1, 1]));
        return Binary("Add", scaled, Constant("bn_shift", bias, [c, 1, 1]));
    }

    protected override OnnxValue MaxPool(OnnxValue x, MaxPool2d pool, long[] k, long[] s, long[] p, long[] shape)
    {
        // ceil_mode only when set: OpenCV's importer rejects the attribute even at its default 0.
        (string, object)[] attributes = pool.ceil_mode
            ? [("kernel_shape", k), ("strides", s), ("pads", new[] { p[0], p[1], p[0], p[1] }), ("ceil_mode", 1L)]
            : [("kernel_shape", k), ("strides", s), ("pads", new[] { p[0], p[1], p[0], p[1] })];
        return Node("MaxPool", [x], shape, attributes);
    }

    public override OnnxValue Activation(OnnxValue x, nn.Module? activation)
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

    public override OnnxValue Binary(string opType, OnnxValue a, OnnxValue b)
    {
        if (opType is not ("Add" or "Sub" or "Mul" or "Div" or "Min" or "Max"))
            throw new ArgumentException($"'{opType}' is not an elementwise binary op", nameof(opType));
        return Node(opType, [a, b], Broadcast(a.Shape, b.Shape));
    }

    public override OnnxValue Concat(IReadOnlyList<OnnxValue> inputs, int axis)
    {
        return Node("Concat", inputs, ConcatShape(inputs, axis), ("axis", (long)axis));
    }

    public override OnnxValue Slice(OnnxValue x, int axis, long start, long end)
    {
        var shape = SliceShape(x, axis, start, end);
        return Node("Slice", [x, Int64s("starts", [start]), Int64s("ends", [end]), Int64s("axes", [axis])], shape);
    }

    public override OnnxValue Reshape(OnnxValue x, params long[] shape)
    {
        CheckReshape(x, shape);
        var written = (long[])shape.Clone();
        written[0] = 0; // copy: the batch stays whatever the input has
        return Node("Reshape", [x, Int64s("shape", written)], shape);
    }

    public override OnnxValue Transpose(OnnxValue x, params int[] perm)
    {
        return Node("Transpose", [x], TransposeShape(x, perm), ("perm", perm.Select(i => (long)i).ToArray()));
    }

    public override OnnxValue Upsample(OnnxValue x, int scale, bool bilinear, bool alignCorners)
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

    public override OnnxValue Sigmoid(OnnxValue x) => Node("Sigmoid", [x], x.Shape);

    public override OnnxValue SoftmaxLastAxis(OnnxValue x) => Node("Softmax", [x], x.Shape, ("axis", (long)(x.Rank - 1)));

    public override OnnxValue MatMul(OnnxValue a, OnnxValue b)
    {
        return Node("MatMul", [a, b], MatMulShape(a, b));
    }

    public override OnnxValue Constant(string name, float[] values, long[] shape)
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

    public override OnnxValue Op(string opType, IReadOnlyList<OnnxValue> inputs, long[] outputShape, IReadOnlyDictionary<string, object>? attributes = null) =>
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
