using NanoDet.Abstractions.Export;
using NanoDet.Compute.Kernels;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace NanoDet.Export.Tests;

/// <summary>The TorchScript writer on the builder operations the detector's own graph does not use, against eager TorchSharp.</summary>
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
        module.eval();
        var x = randn(1, 4, 3, 5, generator: new Generator(3));
        using var plan = TorchScriptPlan.Build(module, x, ConvKernelSelector.Shared);
        using var _ = no_grad();
        var expected = module.forward(x);
        var actual = plan.Run(x);
        Assert.Equal(expected.shape, actual.shape);
        Assert.True((expected - actual).abs().max().item<float>() <= 1e-6f, plan.Source);
        Assert.Contains("torch.upsample_nearest2d(", plan.Source);
        Assert.Contains("torch.hardtanh", plan.Source);
    }
}
