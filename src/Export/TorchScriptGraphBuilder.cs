using System.Globalization;
using System.Text;
using NanoDet.Abstractions.Export;
using NanoDet.Compute.Kernels;
using NanoDet.Compute.Layers;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace NanoDet.Export;

/// <summary>
/// Writes a module's inference graph (the same <see cref="IOnnxExportable"/> walk the ONNX writer uses) as one
/// TorchScript function, <c>forward(x, W)</c>, where <c>W</c> is the list of weights (BatchNorm folded). libtorch then
/// runs the whole forward pass in one call: no managed module calls, dispose scopes or P/Invoke per operation.
/// </summary>
/// <remarks>
/// <para>
/// The builder traces: it is given a real input and runs every operation on real tensors while it writes the
/// statement, so each convolution's call shape — including the memory layout its input really has, which decides the
/// kernel — is the one the module-by-module forward meets, and <see cref="ConvKernelSelector"/> gives the same,
/// float64-checked kernel. A kernel without a TorchScript form (<see cref="IScriptedConvKernel"/>) is replaced by the
/// fastest scripted one its trials found exact; if there is none the build fails.
/// </para>
/// <para>
/// Two rewrites keep the memory traffic of the module-by-module path: a two-way channel concatenation followed by
/// the channel-shuffle pattern (Reshape [B, 2, C/2, H, W] → Transpose (0, 2, 1, 3, 4) → Reshape [B, C, H, W]) is
/// written as one stacking copy, and an activation whose input is a fresh tensor nothing reads afterwards is applied
/// in place. Anything the builder cannot write (an ONNX-only op, an unknown activation) throws
/// <see cref="NotSupportedException"/>.
/// </para>
/// </remarks>
internal sealed class TorchScriptGraphBuilder : ModuleGraphBuilder, IDisposable
{
    /// <summary>The name of the written function.</summary>
    public const string FunctionName = "forward";

    private sealed record Statement(string Output, string Expression, string[] Reads, bool Fresh, string? InPlace);

    /// <summary>A reshape or transpose not yet written (the channel-shuffle pattern is recognised as a whole).</summary>
    private sealed record Pending(string Source, IReadOnlyList<(long[]? Shape, int[]? Perm)> Steps);

    private readonly List<Statement> _statements = [];
    private readonly Dictionary<string, Tensor> _traced = new(StringComparer.Ordinal);
    private readonly Dictionary<string, (string A, string B)> _channelPairs = new(StringComparer.Ordinal);
    private readonly Dictionary<string, Pending> _pending = new(StringComparer.Ordinal);
    private readonly List<Tensor> _weights = [];
    private readonly List<Tensor> _ownedWeights = [];
    private readonly ConvKernelSelector _selector;
    private int _counter;

    /// <param name="input">The traced input [B, 3, H, W] as the forward receives it (the plan is valid for this shape and layout).</param>
    /// <param name="selector">Chooses each convolution's kernel (the one the module-by-module path uses).</param>
    public TorchScriptGraphBuilder(Tensor input, ConvKernelSelector selector)
    {
        _selector = selector;
        Input = new OnnxValue("x", input.shape);
        _traced["x"] = input.alias();
    }

    /// <summary>The traced input value, named <c>x</c>.</summary>
    public OnnxValue Input { get; }

    public override int Opset => 17;

    /// <summary>The convolution kernels written, by name.</summary>
    public Dictionary<string, int> KernelsUsed { get; } = new(StringComparer.Ordinal);

    /// <summary>
    /// The function's source and the weights to pass as <c>W</c> (the caller takes ownership of
    /// <see cref="TakeOwnedWeights"/>); <paramref name="output"/> is what the function returns.
    /// </summary>
    public string Build(OnnxValue output)
    {
        var result = Materialize(output.Name);
        var live = Live(result);
        var kept = _statements.Where(s => live.Contains(s.Output)).ToList();
        var text = new StringBuilder();
        text.Append("def ").Append(FunctionName).Append("(x: Tensor, W: List[Tensor]):\n");
        for (int i = 0; i < _weights.Count; i++) text.Append(CultureInfo.InvariantCulture, $"    w{i} = W[{i}]\n");
        var readers = kept.SelectMany(s => s.Reads).GroupBy(r => r, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.Count(), StringComparer.Ordinal);
        var fresh = new HashSet<string>(StringComparer.Ordinal);
        for (int i = 0; i < kept.Count; i++)
        {
            var s = kept[i];
            var expression = s.Expression;
            // In place only on a fresh tensor (its own storage) that nothing else reads, so no view of it exists either.
            if (s.InPlace is not null && fresh.Contains(s.Reads[0]) && readers[s.Reads[0]] == 1)
            {
                expression = s.InPlace;
                fresh.Add(s.Output);
            }
            if (s.Fresh) fresh.Add(s.Output);
            text.Append("    ").Append(s.Output).Append(" = ").Append(expression).Append('\n');
        }
        text.Append("    return ").Append(result).Append("\n\n");
        return text.ToString();
    }

    /// <summary>Weights in <c>W</c> order: the model's own tensors where used as they are, folded copies otherwise.</summary>
    public IReadOnlyList<Tensor> Weights => _weights;

    /// <summary>The folded copies among <see cref="Weights"/>; the caller disposes them after the function.</summary>
    public IReadOnlyList<Tensor> TakeOwnedWeights()
    {
        var owned = _ownedWeights.ToList();
        _ownedWeights.Clear();
        return owned;
    }

    private HashSet<string> Live(string result)
    {
        var live = new HashSet<string>(StringComparer.Ordinal) { result };
        for (int i = _statements.Count - 1; i >= 0; i--)
        {
            if (!live.Contains(_statements[i].Output)) continue;
            foreach (var r in _statements[i].Reads) live.Add(r);
        }
        return live;
    }

    private string Fresh(string stem) => $"{stem}{_counter++}";

    private OnnxValue Emit(Tensor traced, string expression, string[] reads, bool fresh, string? inPlace = null)
    {
        var name = Fresh("v");
        _traced[name] = traced;
        _statements.Add(new Statement(name, expression, reads, fresh, inPlace));
        return new OnnxValue(name, traced.shape);
    }

    /// <summary>A value's written name and traced tensor, writing any pending reshape/transpose first.</summary>
    private (string Name, Tensor Traced) Use(string name)
    {
        var written = Materialize(name);
        return (written, _traced[written]);
    }

    private string Materialize(string name)
    {
        if (!_pending.TryGetValue(name, out var pending)) return name;
        var current = new OnnxValue(pending.Source, _traced[pending.Source].shape);
        foreach (var (shape, perm) in pending.Steps)
            current = shape is not null ? WriteReshape(current, shape) : WriteTranspose(current, perm!);
        _pending.Remove(name);
        _traced[name] = _traced[current.Name];
        _statements.Add(new Statement(name, current.Name, [current.Name], false, null));
        return name;
    }

    private string AddWeight(Tensor t)
    {
        _weights.Add(t);
        return $"w{_weights.Count - 1}";
    }

    /// <summary>A tensor handle the plan keeps (outside any dispose scope); disposed with the plan.</summary>
    private Tensor Own(Tensor t)
    {
        t.DetachFromDisposeScope();
        _ownedWeights.Add(t);
        return t;
    }

    protected override OnnxValue Conv(OnnxValue x, Tensor convWeight, Tensor? convBias, long[] k, long[] s, long[] p, long[] d,
        long groups, BatchNorm2d? batchNorm)
    {
        var (n, input) = Use(x.Name);
        x = x with { Name = n };
        if (input.dim() != 4) throw new ArgumentException($"Conv expects [B, C, H, W], got {x}");
        long cout = convWeight.shape[0], cin = convWeight.shape[1] * groups;
        if (input.shape[1] != cin) throw new ArgumentException($"Conv expects {cin} input channels, got {x}");
        Tensor weight;
        Tensor? bias;
        if (batchNorm is null)
        {
            (weight, bias) = (Own(convWeight.detach()), convBias is null ? null : Own(convBias.detach()));
        }
        else
        {
            var (fw, fb) = FoldedBatchNorm(convWeight, convBias, batchNorm);
            (weight, bias) = (Own(fw), Own(fb));
        }
        var geometry = new ConvGeometry(cin, cout, k[0], k[1], s[0], s[1], p[0], p[1], d[0], d[1], groups, bias is not null);
        var call = new ConvCall(geometry, input.shape[0], input.shape[2], input.shape[3], MemoryLayout.IsChannelsLast(input),
            Training: false, InputGrad: false);
        var kernel = ScriptedKernel(call);
        KernelsUsed[kernel.Name] = KernelsUsed.GetValueOrDefault(kernel.Name) + 1;
        var w = AddWeight(weight);
        var b = bias is null ? null : AddWeight(bias);
        var traced = kernel.Forward(input, weight, bias, geometry);
        return Emit(traced, kernel.Script(x.Name, w, b, input.shape, geometry), [x.Name], fresh: true);
    }

    /// <summary>The selector's kernel for the call, or the fastest exact kernel with a TorchScript form among its trials.</summary>
    private IScriptedConvKernel ScriptedKernel(ConvCall call)
    {
        var choice = _selector.ChoiceFor(call);
        var byName = _selector.Kernels.ToDictionary(k => k.Name, StringComparer.Ordinal);
        if (byName[choice.Kernel] is IScriptedConvKernel chosen) return chosen;
        var fallback = choice.Trials.Where(t => t.Exact && byName.GetValueOrDefault(t.Kernel) is IScriptedConvKernel)
            .OrderBy(t => t.Milliseconds).FirstOrDefault();
        return fallback is not null
            ? (IScriptedConvKernel)byName[fallback.Kernel]
            : throw new NotSupportedException($"convolution {call}: kernel {choice.Kernel} has no TorchScript form and no scripted kernel was checked exact");
    }

    protected override OnnxValue StandaloneBatchNorm(OnnxValue x, BatchNorm2d bn)
    {
        var (n, input) = Use(x.Name);
        x = x with { Name = n };
        var (scale4, shift) = StandaloneBatchNormAffine(bn, input.shape[1]);
        Own(scale4);
        Own(shift);
        var scale = Own(scale4.view(-1, 1, 1));
        var shift3 = Own(shift.view(-1, 1, 1));
        var ws = AddWeight(scale);
        var wt = AddWeight(shift3);
        return Emit(input * scale + shift3, $"torch.add(torch.mul({x.Name}, {ws}), {wt})", [x.Name], fresh: true);
    }

    protected override OnnxValue MaxPool(OnnxValue x, MaxPool2d pool, long[] k, long[] s, long[] p, long[] shape)
    {
        var (n, input) = Use(x.Name);
        x = x with { Name = n };
        var traced = pool.forward(input);
        return Emit(traced, $"torch.max_pool2d({x.Name}, [{k[0]}, {k[1]}], [{s[0]}, {s[1]}], [{p[0]}, {p[1]}], [1, 1], {(pool.ceil_mode ? "True" : "False")})",
            [x.Name], fresh: true);
    }

    public override OnnxValue Activation(OnnxValue x, nn.Module? activation)
    {
        if (activation is null or Identity or Sequential { Count: 0 }) return x;
        var (n, input) = Use(x.Name);
        (string Op, string Args) form = activation switch
        {
            ReLU => ("relu", ""),
            LeakyReLU leaky => ("leaky_relu", ", " + Float(leaky.negative_slope)),
            ReLU6 => ("hardtanh", ", 0.0, 6.0"),
            TorchSharp.Modules.Sigmoid => ("sigmoid", ""),
            SiLU => ("silu", ""),
            Hardswish => ("hardswish", ""),
            ELU elu => ("elu", ", " + Float(elu.alpha)),
            SELU => ("selu", ""),
            _ => throw new NotSupportedException($"activation {activation.GetType().FullName} has no TorchScript form here"),
        };
        var traced = ((nn.Module<Tensor, Tensor>)activation).forward(input);
        return Emit(traced, $"torch.{form.Op}({n}{form.Args})", [n], fresh: true, inPlace: $"torch.{form.Op}_({n}{form.Args})");
    }

    public override OnnxValue Binary(string opType, OnnxValue a, OnnxValue b)
    {
        var ((na, ta), (nb, tb)) = (Use(a.Name), Use(b.Name));
        var (op, traced) = opType switch
        {
            "Add" => ("add", ta + tb),
            "Sub" => ("sub", ta - tb),
            "Mul" => ("mul", ta * tb),
            "Div" => ("div", ta / tb),
            "Min" => ("minimum", minimum(ta, tb)),
            "Max" => ("maximum", maximum(ta, tb)),
            _ => throw new ArgumentException($"'{opType}' is not an elementwise binary op", nameof(opType)),
        };
        Broadcast(a.Shape, b.Shape);
        return Emit(traced, $"torch.{op}({na}, {nb})", [na, nb], fresh: true);
    }

    public override OnnxValue Concat(IReadOnlyList<OnnxValue> inputs, int axis)
    {
        ConcatShape(inputs, axis);
        var used = inputs.Select(v => Use(v.Name)).ToArray();
        var (tensors, names) = (used.Select(u => u.Traced).ToArray(), used.Select(u => u.Name).ToArray());
        var value = Emit(cat(tensors, axis), $"torch.cat([{string.Join(", ", names)}], {axis})", names, fresh: true);
        if (inputs.Count == 2 && axis == 1 && tensors[0].dim() == 4 && tensors[0].shape[1] == tensors[1].shape[1])
            _channelPairs[value.Name] = (names[0], names[1]);
        return value;
    }

    public override OnnxValue Slice(OnnxValue x, int axis, long start, long end)
    {
        SliceShape(x, axis, start, end);
        var (n, input) = Use(x.Name);
        return Emit(input.narrow(axis, start, end - start), $"{n}.narrow({axis}, {start}, {end - start})", [n], fresh: false);
    }

    public override OnnxValue Reshape(OnnxValue x, params long[] shape)
    {
        CheckReshape(x, shape);
        // The channel shuffle after a two-way channel concatenation: written once the pattern is complete.
        if (_channelPairs.ContainsKey(x.Name) && shape.Length == 5 && shape[1] == 2 && shape[2] * 2 == x.Shape[1])
            return Defer(x.Name, [(shape, null)], shape);
        if (_pending.TryGetValue(x.Name, out var pending) && pending.Steps.Count == 2 && _channelPairs.TryGetValue(pending.Source, out var pair)
            && shape.Length == 4 && shape.SequenceEqual(_traced[pending.Source].shape))
            return ConcatShuffled(pair.A, pair.B);
        return WriteReshape(x with { Name = Materialize(x.Name) }, shape);
    }

    public override OnnxValue Transpose(OnnxValue x, params int[] perm)
    {
        var shape = TransposeShape(x, perm);
        if (_pending.TryGetValue(x.Name, out var pending) && pending.Steps.Count == 1 && perm.SequenceEqual([0, 2, 1, 3, 4]))
            return Defer(pending.Source, [.. pending.Steps, (null, perm)], shape);
        return WriteTranspose(x with { Name = Materialize(x.Name) }, perm);
    }

    private OnnxValue Defer(string source, IReadOnlyList<(long[]?, int[]?)> steps, long[] shape)
    {
        var name = Fresh("p");
        _pending[name] = new Pending(source, steps);
        return new OnnxValue(name, shape);
    }

    private OnnxValue WriteReshape(OnnxValue x, long[] shape)
    {
        var input = _traced[x.Name];
        return Emit(input.reshape(shape), $"{x.Name}.reshape([{string.Join(", ", shape)}])", [x.Name], fresh: false);
    }

    private OnnxValue WriteTranspose(OnnxValue x, int[] perm)
    {
        var input = _traced[x.Name];
        return Emit(input.permute(perm.Select(i => (long)i).ToArray()), $"{x.Name}.permute([{string.Join(", ", perm)}])", [x.Name], fresh: false);
    }

    /// <summary>
    /// cat([a, b], 1) then the 2-group channel shuffle, [B, C/2, H, W] ×2 → [B, C, H, W] with out[2i] = a[i] and
    /// out[2i+1] = b[i], as one stacking copy (the ShuffleNetV2 block's own inference path does the same).
    /// </summary>
    private OnnxValue ConcatShuffled(string a, string b)
    {
        var (ta, tb) = (_traced[a], _traced[b]);
        var (n, half, h, w) = (ta.shape[0], ta.shape[1], ta.shape[2], ta.shape[3]);
        if (half > 1 && ta.stride(1) == 1 && tb.stride(1) == 1)
            return Emit(stack([ta.permute(0, 2, 3, 1), tb.permute(0, 2, 3, 1)], 4).view(n, h, w, 2 * half).permute(0, 3, 1, 2),
                $"torch.stack([{a}.permute([0, 2, 3, 1]), {b}.permute([0, 2, 3, 1])], 4).view([{n}, {h}, {w}, {2 * half}]).permute([0, 3, 1, 2])",
                [a, b], fresh: true);
        return Emit(stack([ta, tb], 2).view(n, 2 * half, h, w), $"torch.stack([{a}, {b}], 2).view([{n}, {2 * half}, {h}, {w}])", [a, b], fresh: true);
    }

    public override OnnxValue Upsample(OnnxValue x, int scale, bool bilinear, bool alignCorners)
    {
        var (n, input) = Use(x.Name);
        long oh = input.shape[2] * scale, ow = input.shape[3] * scale;
        var s = Float(scale);
        var traced = bilinear
            ? nn.functional.interpolate(input, scale_factor: [scale, scale], mode: InterpolationMode.Bilinear, align_corners: alignCorners)
            : nn.functional.interpolate(input, scale_factor: [scale, scale], mode: InterpolationMode.Nearest);
        var expression = bilinear
            ? $"torch.upsample_bilinear2d({n}, [{oh}, {ow}], {(alignCorners ? "True" : "False")}, {s}, {s})"
            : $"torch.upsample_nearest2d({n}, [{oh}, {ow}], {s}, {s})";
        return Emit(traced, expression, [n], fresh: true);
    }

    public override OnnxValue Sigmoid(OnnxValue x)
    {
        var (n, input) = Use(x.Name);
        return Emit(input.sigmoid(), $"torch.sigmoid({n})", [n], fresh: true);
    }

    public override OnnxValue SoftmaxLastAxis(OnnxValue x)
    {
        var (n, input) = Use(x.Name);
        return Emit(input.softmax(-1), $"torch.softmax({n}, -1)", [n], fresh: true);
    }

    public override OnnxValue MatMul(OnnxValue a, OnnxValue b)
    {
        MatMulShape(a, b);
        var ((na, ta), (nb, tb)) = (Use(a.Name), Use(b.Name));
        return Emit(ta.matmul(tb), $"torch.matmul({na}, {nb})", [na, nb], fresh: true);
    }

    public override OnnxValue Constant(string name, float[] values, long[] shape)
    {
        if (shape.Aggregate(1L, (a, v) => a * v) != values.Length)
            throw new ArgumentException($"constant '{name}': {values.Length} values for shape [{string.Join(", ", shape)}]");
        var t = Own(tensor(values).reshape(shape));
        var w = AddWeight(t);
        _traced[w] = t.alias();
        return new OnnxValue(w, shape);
    }

    public override OnnxValue Op(string opType, IReadOnlyList<OnnxValue> inputs, long[] outputShape, IReadOnlyDictionary<string, object>? attributes = null) =>
        throw new NotSupportedException($"ONNX op {opType} has no TorchScript form here");

    private static string Float(double v)
    {
        var text = v.ToString("R", CultureInfo.InvariantCulture);
        return text.Contains('.') || text.Contains('E') || text.Contains('e') ? text : text + ".0";
    }

    public void Dispose()
    {
        foreach (var t in _traced.Values) t.Dispose();
        _traced.Clear();
        foreach (var t in _ownedWeights) t.Dispose();
        _ownedWeights.Clear();
    }

}
