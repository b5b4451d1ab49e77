using NanoDet.Compute.Fused;
using TorchSharp;
using static TorchSharp.torch;

namespace NanoDet.Compute.Tests.Fused;

/// <summary>
/// Every fused CPU operation against libtorch in float64 on shapes that hit its edges: tile remainders in rows,
/// columns and output channels, odd sizes, both strides, 3×3 and 5×5 windows, batch 2, each fused activation.
/// </summary>
public class FusedOpsTests
{
    /// <summary>Float32 accumulation noise is about 1e-6 of the output's scale; a wrong tap or edge is far above this.</summary>
    private const double Tolerance = 1e-5;

    public static TheoryData<int, int, int, int, int, int, int, int, int, string> ConvCases() => new()
    {
        // cin, cout, kernel, stride, pad, groups, H, W, batch, activation
        { 24, 24, 1, 1, 0, 1, 40, 40, 1, "leaky" },
        { 58, 116, 1, 1, 0, 1, 7, 9, 1, "none" },
        { 13, 7, 1, 1, 0, 1, 5, 5, 2, "relu" },
        { 16, 10, 1, 2, 0, 1, 9, 11, 1, "none" },
        { 3, 24, 3, 2, 1, 1, 33, 31, 1, "leaky" },
        { 16, 10, 3, 1, 1, 1, 12, 20, 2, "relu6" },
        { 48, 48, 3, 1, 1, 48, 20, 20, 1, "none" },
        { 29, 29, 3, 2, 1, 29, 41, 39, 1, "leaky" },
        { 64, 64, 5, 1, 2, 64, 10, 10, 2, "none" },
        { 96, 96, 5, 2, 2, 96, 5, 5, 1, "relu" },
        { 7, 7, 3, 1, 0, 7, 6, 37, 1, "none" },
    };

    [Theory]
    [MemberData(nameof(ConvCases))]
    public void A_convolution_equals_float64(int cin, int cout, int k, int stride, int pad, int groups, int h, int w, int batch, string activation)
    {
        using var scope = NewDisposeScope();
        var g = new Generator(11);
        var x = randn([batch, cin, h, w], generator: g, dtype: float64);
        var weight = randn([cout, cin / groups, k, k], generator: g, dtype: float64) / Math.Sqrt(cin / groups * k * k);
        var bias = randn([cout], generator: g, dtype: float64);
        var expected = nn.functional.conv2d(x, weight, bias, strides: [stride, stride], padding: [pad, pad], groups: groups);
        var epilogue = activation switch
        {
            "relu" => new Epilogue(FusedActivation.Relu),
            "leaky" => new Epilogue(FusedActivation.Leaky, 0.1f),
            "relu6" => new Epilogue(FusedActivation.Relu6),
            _ => Epilogue.None,
        };
        expected = activation switch
        {
            "relu" => expected.relu(),
            "leaky" => nn.functional.leaky_relu(expected, 0.1),
            "relu6" => expected.clamp(0, 6),
            _ => expected,
        };

        var (input, output) = (new FusedValue(0, 0, x.shape), new FusedValue(1, 0, expected.shape));
        FusedOps.Conv Op() => new(output, input, Floats(weight), Floats(bias), k, k, stride, pad, pad, groups) { Epilogue = epilogue };
        var got = RunOne(Op(), [input.Count, output.Count], input, output, Floats(x));
        AssertClose(expected, got);
        // Split across three threads (more parts than this machine has cores): the same floats, since each part
        // computes whole outputs with the same arithmetic.
        Assert.Equal(got, RunOne(Op(), [input.Count, output.Count], input, output, Floats(x), threads: 3));
    }

    [Theory]
    [InlineData(3, 2, 1, false, 33, 35)]
    [InlineData(3, 2, 1, true, 33, 35)]
    [InlineData(3, 2, 0, true, 10, 10)]
    [InlineData(2, 2, 0, false, 9, 16)]
    [InlineData(3, 1, 1, false, 7, 18)]
    public void Max_pooling_equals_libtorch(int k, int stride, int pad, bool ceil, int h, int w)
    {
        using var scope = NewDisposeScope();
        var x = randn([2, 5, h, w], generator: new Generator(3));
        var expected = nn.functional.max_pool2d(x, [k, k], [stride, stride], [pad, pad], ceil_mode: ceil);
        var (input, output) = (new FusedValue(0, 0, x.shape), new FusedValue(1, 0, expected.shape));
        var got = RunOne(new FusedOps.MaxPool(output, input, k, k, stride, pad, pad), [input.Count, output.Count], input, output, Floats(x));
        Assert.Equal(Floats(expected), got);
        Assert.Equal(got, RunOne(new FusedOps.MaxPool(output, input, k, k, stride, pad, pad), [input.Count, output.Count], input, output, Floats(x), threads: 2));
    }

    [Theory]
    [InlineData(true, false)]
    [InlineData(true, true)]
    [InlineData(false, false)]
    public void Upsampling_by_two_equals_libtorch(bool bilinear, bool alignCorners)
    {
        using var scope = NewDisposeScope();
        var x = randn([1, 3, 5, 7], generator: new Generator(4));
        var expected = bilinear
            ? nn.functional.interpolate(x.to(float64), scale_factor: [2, 2], mode: InterpolationMode.Bilinear, align_corners: alignCorners)
            : nn.functional.interpolate(x, scale_factor: [2, 2], mode: InterpolationMode.Nearest);
        var (input, output) = (new FusedValue(0, 0, x.shape), new FusedValue(1, 0, expected.shape));
        var got = RunOne(new FusedOps.Upsample(output, input, bilinear, alignCorners), [input.Count, output.Count], input, output, Floats(x));
        AssertClose(expected, got);
    }

    [Fact]
    public void The_shuffle_concat_interleaves_the_channels_of_its_two_halves()
    {
        using var scope = NewDisposeScope();
        var a = randn([2, 3, 4, 5], generator: new Generator(5));
        var b = randn([2, 3, 4, 5], generator: new Generator(6));
        var expected = cat([a, b], 1).view(2, 2, 3, 4, 5).transpose(1, 2).reshape(2, 6, 4, 5);
        var (va, vb) = (new FusedValue(0, 0, a.shape), new FusedValue(0, a.NumberOfElements, b.shape));
        var output = new FusedValue(1, 0, [2, 6, 4, 5]);
        var got = RunOne(new FusedOps.ShuffleConcat(output, va, vb), [2 * a.NumberOfElements, output.Count], va, output,
            [.. Floats(a), .. Floats(b)], inputStorage: new FusedValue(0, 0, [2 * a.NumberOfElements]));
        Assert.Equal(Floats(expected), got);
    }

    [Theory]
    [InlineData(new[] { 0, 2, 1 }, new long[] { 2, 7, 37 })]
    [InlineData(new[] { 0, 3, 1, 2 }, new long[] { 1, 3, 4, 5 })]
    public void A_transpose_equals_libtorch(int[] perm, long[] shape)
    {
        using var scope = NewDisposeScope();
        var x = randn(shape, generator: new Generator(8));
        var expected = x.permute(perm.Select(p => (long)p).ToArray()).contiguous();
        var (input, output) = (new FusedValue(0, 0, x.shape), new FusedValue(1, 0, expected.shape));
        Assert.Equal(Floats(expected), RunOne(new FusedOps.Transpose(output, input, perm), [input.Count, output.Count], input, output, Floats(x)));
    }

    [Fact]
    public void Concat_slice_broadcast_add_sigmoid_silu_and_softmax_equal_libtorch()
    {
        using var scope = NewDisposeScope();
        var x = randn([2, 6, 5], generator: new Generator(9));
        var xs = new FusedValue(0, 0, x.shape);
        Assert.Equal(Floats(x.narrow(2, 1, 3).contiguous()),
            RunOne(new FusedOps.SliceCopy(new FusedValue(1, 0, [2, 6, 3]), xs, 2, 1), [xs.Count, 36], xs, new FusedValue(1, 0, [2, 6, 3]), Floats(x)));
        var halves = (new FusedValue(0, 0, [2, 6, 2]), new FusedValue(0, 24, [2, 6, 3]));
        var joined = new FusedValue(1, 0, [2, 6, 5]);
        var a = x.flatten()[..24].view(2, 6, 2);
        var b = x.flatten()[24..].view(2, 6, 3);
        Assert.Equal(Floats(cat([a, b], 2)),
            RunOne(new FusedOps.Concat(joined, [halves.Item1, halves.Item2], 2), [60, 60], xs, joined, Floats(x)));
        var row = new FusedValue(0, 55, [5]);
        var sum = new FusedValue(1, 0, [2, 6, 5]);
        AssertClose(x + x.flatten()[55..],
            RunOne(new FusedOps.Binary(sum, xs, row, "Add"), [60, 60], xs, sum, Floats(x), inputStorage: new FusedValue(0, 0, [60])));
        var y = new FusedValue(1, 0, x.shape);
        AssertClose(x.sigmoid(), RunOne(new FusedOps.Sigmoid(y, xs), [60, 60], xs, y, Floats(x)));
        AssertClose(nn.functional.silu(x), RunOne(new FusedOps.Activation(y, xs, "silu", v => v / (1f + MathF.Exp(-v))), [60, 60], xs, y, Floats(x)));
        AssertClose(x.softmax(-1), RunOne(new FusedOps.SoftmaxLastAxis(y, xs), [60, 60], xs, y, Floats(x)));
    }

    [Fact]
    public void Storages_share_buffers_once_their_readers_have_run()
    {
        // x → conv a → conv b → conv c: x's buffer is free once a has run, so b takes it, and c takes a's.
        var values = new[] { new FusedValue(0, 0, [1, 8, 6, 6]), new FusedValue(1, 0, [1, 8, 6, 6]), new FusedValue(2, 0, [1, 8, 6, 6]), new FusedValue(3, 0, [1, 8, 6, 6]) };
        var w = Enumerable.Range(0, 64).Select(i => (i % 9 - 4) / 16f).ToArray();
        var ops = Enumerable.Range(0, 3).Select(i => new FusedOps.Conv(values[i + 1], values[i], w, new float[8], 1, 1, 1, 0, 0, 1)).ToList();
        using var program = new FusedProgram([288, 288, 288, 288], ops, values[0], values[3]);
        Assert.Equal(2, program.BufferCount);
    }

    [Fact]
    public void An_activation_is_fused_into_its_convolution_unless_the_raw_output_is_read_again()
    {
        using var scope = NewDisposeScope();
        var x = randn([1, 4, 5, 5], generator: new Generator(10));
        var w = Enumerable.Range(0, 16).Select(i => (i % 5 - 2) / 4f).ToArray();
        var (input, raw, act, sum) = (new FusedValue(0, 0, [1, 4, 5, 5]), new FusedValue(1, 0, [1, 4, 5, 5]), new FusedValue(2, 0, [1, 4, 5, 5]), new FusedValue(3, 0, [1, 4, 5, 5]));
        FusedOp[] Ops() => [new FusedOps.Conv(raw, input, w, new float[4], 1, 1, 1, 0, 0, 1), new FusedOps.Activation(act, raw, new Epilogue(FusedActivation.Relu))];

        using var fused = new FusedProgram([100, 100, 100, 100], Ops(), input, act);
        Assert.Single(fused.Ops);
        Assert.Equal(FusedActivation.Relu, ((FusedOps.Conv)fused.Ops[0]).Epilogue.Kind);

        using var reused = new FusedProgram([100, 100, 100, 100], [.. Ops(), new FusedOps.Binary(sum, act, raw, "Add")], input, sum);
        Assert.Equal(3, reused.Ops.Count);
        var got = new float[100];
        reused.Run(Floats(x), got);
        var y = nn.functional.conv2d(x, tensor(w).view(4, 4, 1, 1));
        AssertClose(y.relu() + y, got);
    }

    private static float[] RunOne(FusedOp op, long[] storages, FusedValue input, FusedValue output, float[] data, FusedValue? inputStorage = null, int threads = 1)
    {
        using var program = new FusedProgram(storages, [op], inputStorage ?? input, output, threads);
        var result = new float[output.Count];
        program.Run(data, result);
        return result;
    }

    private static float[] Floats(Tensor t) => t.to(float32).contiguous().data<float>().ToArray();

    private static void AssertClose(Tensor expected, float[] got)
    {
        var e = expected.to(float64).contiguous().data<double>().ToArray();
        Assert.Equal(e.Length, got.Length);
        double scale = Math.Max(1, e.Max(Math.Abs)), worst = 0;
        for (int i = 0; i < e.Length; i++) worst = Math.Max(worst, Math.Abs(e[i] - got[i]));
        Assert.True(worst <= Tolerance * scale, $"max |Δ| {worst:E2} at scale {scale:F2}");
    }
}
