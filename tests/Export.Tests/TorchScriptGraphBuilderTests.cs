using NanoDet.Abstractions.Export;
using NanoDet.Compute.Kernels;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace NanoDet.Export.Tests;

/// <summary>
/// The TorchScript writer on the builder operations the detector's own graph does not use, and on every activation it
/// can write, against eager TorchSharp.
/// </summary>
public class TorchScriptGraphBuilderTests
{
    /// <summary>
    /// x [1, 4, 3, 5] → BatchNorm (alone) → nearest ×2 upsample → ReLU6 → [1, 4, 30] (reshape) → transpose → × a
    /// constant [4, 2] → softmax over the last axis, sigmoid, minus the softmax: [1, 30, 2].
    /// </summary>
    private sealed class Mixed : nn.Module<Tensor, Tensor>, IOnnxExportable
    {
        private readonly BatchNorm2d bn = nn.BatchNorm2d(4);
        private readonly ReLU6 act = nn.ReLU6();
        private readonly float[] _matrix = [0.5f, -1f, 2f, 0.25f, -0.75f, 1.5f, 1f, -2f];

        public Mixed() : base(nameof(Mixed))
        {
            RegisterComponents();
            using var _ = no_grad();
            bn.running_mean!.copy_(tensor(new[] { 0.1f, -0.2f, 0.3f, 0f }));
            bn.running_var!.copy_(tensor(new[] { 1.5f, 0.5f, 2f, 1f }));
            bn.weight!.copy_(tensor(new[] { 2f, 0.5f, -1f, 1f }));
            bn.bias!.copy_(tensor(new[] { 0.25f, 0f, 1f, -0.5f }));
        }

        public override Tensor forward(Tensor x)
        {
            var y = act.forward(nn.functional.interpolate(bn.forward(x), scale_factor: [2, 2], mode: InterpolationMode.Nearest));
            var z = y.reshape(1, 4, 60).permute(0, 2, 1).matmul(tensor(_matrix).reshape(4, 2));
            return z.sigmoid() - z.softmax(-1);
        }

        public IReadOnlyList<OnnxValue> ExportOnnx(IOnnxGraphBuilder graph, IReadOnlyList<OnnxValue> inputs)
        {
            var y = graph.Activation(graph.Upsample(graph.Module(bn, inputs[0]), 2, bilinear: false, alignCorners: false), act);
            var z = graph.MatMul(graph.Transpose(graph.Reshape(y, 1, 4, 60), 0, 2, 1), graph.Constant("m", _matrix, [4, 2]));
            return [graph.Binary("Sub", graph.Sigmoid(z), graph.SoftmaxLastAxis(z))];
        }
    }

    [Fact]
    public void Batch_norm_alone_nearest_upsampling_reshape_transpose_constants_and_softmax_match_eager()
    {
        using var scope = NewDisposeScope();
        using var module = new Mixed();
        var source = CompiledMatchesEager(module, randn(1, 4, 3, 5, generator: new Generator(3)), relative: false, 1e-6f);
        Assert.Contains("torch.upsample_nearest2d(", source);
        Assert.Contains("torch.hardtanh", source);
    }

    /// <summary>
    /// Compiles <paramref name="module"/> (eval mode) for x, runs plan and eager forward on x and asserts equal shapes
    /// and max |Δ| ≤ <paramref name="tolerance"/> (times 1 + max |eager| when <paramref name="relative"/>); returns the
    /// plan's source.
    /// </summary>
    private static string CompiledMatchesEager(nn.Module<Tensor, Tensor> module, Tensor x, bool relative, float tolerance)
    {
        using var scope = NewDisposeScope();
        module.eval();
        using var plan = TorchScriptPlan.Build(module, x, ConvKernelSelector.Shared);
        using var _ = no_grad();
        var expected = module.forward(x);
        var actual = plan.Run(x);
        Assert.Equal(expected.shape, actual.shape);
        var bound = relative ? tolerance * (1 + expected.abs().max().item<float>()) : tolerance;
        Assert.True((expected - actual).abs().max().item<float>() <= bound, plan.Source);
        return plan.Source;
    }

    /// <summary>
    /// Two 3×3 convolutions of x [1, 3, H, W] → [1, 4, H, W], each followed by <c>activation</c>: the first output read
    /// once (the activation runs in place), the second read again (it cannot): cat([act(c1), act(c2) + c2], 1), [1, 8, H, W].
    /// </summary>
    private sealed class ConvActivation : nn.Module<Tensor, Tensor>, IOnnxExportable
    {
        private readonly Conv2d c1 = nn.Conv2d(3, 4, 3, padding: 1);
        private readonly Conv2d c2 = nn.Conv2d(3, 4, 3, padding: 1);
        private readonly nn.Module<Tensor, Tensor> act;

        public ConvActivation(nn.Module<Tensor, Tensor> activation) : base(nameof(ConvActivation))
        {
            act = activation;
            RegisterComponents();
        }

        public override Tensor forward(Tensor x)
        {
            var y2 = c2.forward(x);
            return cat([act.forward(c1.forward(x)), act.forward(y2) + y2], 1);
        }

        public IReadOnlyList<OnnxValue> ExportOnnx(IOnnxGraphBuilder graph, IReadOnlyList<OnnxValue> inputs)
        {
            var y2 = graph.Conv(inputs[0], c2);
            return [graph.Concat([graph.Activation(graph.Conv(inputs[0], c1), act), graph.Binary("Add", graph.Activation(y2, act), y2)], 1)];
        }
    }

    public static TheoryData<string> Activations() => ["relu", "leaky_relu", "hardtanh", "sigmoid", "silu", "hardswish", "elu", "selu"];

    private static nn.Module<Tensor, Tensor> Activation(string name) => name switch
    {
        "relu" => nn.ReLU(),
        "leaky_relu" => nn.LeakyReLU(0.1),
        "hardtanh" => nn.ReLU6(),
        "sigmoid" => nn.Sigmoid(),
        "silu" => nn.SiLU(),
        "hardswish" => nn.Hardswish(),
        "elu" => nn.ELU(0.5),
        _ => nn.SELU(),
    };

    // A form TorchScript's compiler rejects ends the process inside libtorch instead of throwing, so every form the
    // writer can emit is compiled and run here, in place and not.
    [Theory]
    [MemberData(nameof(Activations))]
    public void Every_activation_the_writer_knows_compiles_in_place_and_not_and_matches_eager(string name)
    {
        using var scope = NewDisposeScope();
        manual_seed(4);
        using var module = new ConvActivation(Activation(name));
        var source = CompiledMatchesEager(module, randn(1, 3, 6, 7, generator: new Generator(5)) * 3, relative: true, 1e-5f);
        Assert.Contains($"torch.{name}_(", source);
        Assert.Contains($"torch.{name}(", source);
    }

    /// <summary>
    /// Every element-wise binary op, bilinear upsampling both ways, a slice and a three-way concatenation:
    /// x [1, 3, H, W] → two 1×1 convolutions [1, 4, H, W] → [1, 10, 2H, 2W].
    /// </summary>
    private sealed class Elementwise : nn.Module<Tensor, Tensor>, IOnnxExportable
    {
        private readonly Conv2d c1 = nn.Conv2d(3, 4, 1);
        private readonly Conv2d c2 = nn.Conv2d(3, 4, 1);

        public Elementwise() : base(nameof(Elementwise)) => RegisterComponents();

        public override Tensor forward(Tensor x)
        {
            var (a, b) = (c1.forward(x), c2.forward(x));
            var mixed = ((a + b) * (a - b) / b.sigmoid()).minimum(a).maximum(b);
            var up = nn.functional.interpolate(mixed, scale_factor: [2, 2], mode: InterpolationMode.Bilinear, align_corners: false);
            var upAligned = nn.functional.interpolate(mixed, scale_factor: [2, 2], mode: InterpolationMode.Bilinear, align_corners: true);
            return cat([up, upAligned, up.narrow(1, 1, 2)], 1);
        }

        public IReadOnlyList<OnnxValue> ExportOnnx(IOnnxGraphBuilder graph, IReadOnlyList<OnnxValue> inputs)
        {
            var (a, b) = (graph.Conv(inputs[0], c1), graph.Conv(inputs[0], c2));
            var product = graph.Binary("Mul", graph.Binary("Add", a, b), graph.Binary("Sub", a, b));
            var mixed = graph.Binary("Max", graph.Binary("Min", graph.Binary("Div", product, graph.Sigmoid(b)), a), b);
            var up = graph.Upsample(mixed, 2, bilinear: true, alignCorners: false);
            var upAligned = graph.Upsample(mixed, 2, bilinear: true, alignCorners: true);
            return [graph.Concat([up, upAligned, graph.Slice(up, 1, 1, 3)], 1)];
        }
    }

    [Fact]
    public void Binary_ops_bilinear_upsampling_slices_and_concatenations_match_eager()
    {
        using var scope = NewDisposeScope();
        manual_seed(6);
        using var module = new Elementwise();
        var source = CompiledMatchesEager(module, randn(1, 3, 5, 4, generator: new Generator(7)), relative: true, 1e-5f);
        foreach (var op in new[] { "torch.add(", "torch.sub(", "torch.mul(", "torch.div(", "torch.minimum(", "torch.maximum(", "True", "False", ".narrow(" })
            Assert.Contains(op, source);
    }
}
