using NanoDet.Abstractions.Model;
using NanoDet.Compute.Kernels;
using NanoDet.Compute.Layers;
using NanoDet.Export;
using NanoDet.Host.Configuration;
using NanoDet.Host.Inference;
using NanoDet.Host.Model;
using NanoDet.Host.Tests.Model;
using Xunit.Abstractions;
using static TorchSharp.torch;

namespace NanoDet.Host.Tests.Export;

/// <summary>
/// The detector's forward compiled into one TorchScript function (what the torch backend runs on the CPU) against the
/// module-by-module forward: the same numbers, rebuilt when weights change, and the backend falls back when a plan
/// cannot be built.
/// </summary>
public class TorchScriptPlanTests(ITestOutputHelper output)
{
    [Theory]
    [MemberData(nameof(ExportFixture.PlanModels), MemberType = typeof(ExportFixture))]
    public void The_compiled_forward_equals_the_module_by_module_forward(string which, int height, int width)
    {
        using var scope = NewDisposeScope();
        manual_seed(5);
        using var model = ExportFixture.PlanModel(which);
        model.eval();
        var x = randn(1, 3, height, width);
        using var plan = TorchScriptPlan.Build(model, x, ConvKernelSelector.Shared);
        using var _ = no_grad();
        var expected = model.forward(x);
        var actual = plan.Run(x);
        Assert.Equal(expected.shape, actual.shape);
        var diff = (expected - actual).abs().max().item<float>();
        output.WriteLine($"{which}: max |Δ| = {diff:E2}; kernels {string.Join(", ", plan.Kernels.Select(kv => $"{kv.Key} {kv.Value}"))}");
        // The same operators on the same folded weights in the same order. Equal on the two real models here; a matrix
        // product may round differently with its buffers' alignment (MKL), and a kernel without a TorchScript form is
        // replaced by another exact one, so the bound is float32 rounding, not zero.
        Assert.True(diff <= 1e-5f * (1 + expected.abs().max().item<float>()), $"max |Δ| {diff}");
        Assert.True(plan.Kernels.Values.Sum() > 20);
        // The ShuffleNetV2 concatenate-and-shuffle is one stacking copy, and activations after convolutions run in place.
        Assert.Contains("torch.stack(", plan.Source);
        Assert.Contains("_(", plan.Source);
    }

    [Fact]
    public void A_weight_written_in_place_makes_the_plan_stale_and_the_backend_rebuilds_it()
    {
        using var scope = NewDisposeScope();
        using var model = ExportFixture.TinyModel();
        var input = ExportFixture.Input(64, 64);
        using var backend = new TorchBackend(model, CPU, forward: TorchForward.TorchScript);
        var before = backend.Run(input, 1, 64, 64).Values;
        Assert.Equal("compiled graph", backend.Mode);

        var x = from_array(input).view(1, 3, 64, 64);
        using var plan = TorchScriptPlan.Build(model, x, ConvKernelSelector.Shared);
        Assert.True(plan.IsCurrent);
        var bn = model.modules().OfType<TorchSharp.Modules.BatchNorm2d>().First();
        using (no_grad()) bn.running_mean!.add_(0.5);
        Assert.False(plan.IsCurrent);

        var after = backend.Run(input, 1, 64, 64).Values;
        Assert.True(ExportFixture.MaxDiff(before, after) > 1e-3, "the changed statistics did not reach the output");
        float[] expected;
        using (no_grad()) expected = model.forward(x).data<float>().ToArray();
        Assert.True(ExportFixture.MaxDiff(expected, after) <= 1e-5, $"rebuilt plan vs forward: {ExportFixture.MaxDiff(expected, after)}");
    }

    /// <summary>y = conv(x); out = relu(y) + y: the activation must not run in place, since y is read again.</summary>
    private sealed class ReusedInput : nn.Module<Tensor, Tensor>, NanoDet.Abstractions.Export.IOnnxExportable
    {
        private readonly AdaptiveConv2d conv = new(3, 4, 3, padding: 1);
        private readonly TorchSharp.Modules.ReLU act = nn.ReLU();

        public ReusedInput() : base(nameof(ReusedInput)) => RegisterComponents();

        public override Tensor forward(Tensor x)
        {
            var y = conv.forward(x);
            return act.forward(y) + y;
        }

        public IReadOnlyList<NanoDet.Abstractions.Export.OnnxValue> ExportOnnx(NanoDet.Abstractions.Export.IOnnxGraphBuilder graph,
            IReadOnlyList<NanoDet.Abstractions.Export.OnnxValue> inputs)
        {
            var y = graph.Conv(inputs[0], conv);
            return [graph.Binary("Add", graph.Activation(y, act), y)];
        }
    }

    [Fact]
    public void An_activation_whose_input_is_read_again_is_not_applied_in_place()
    {
        using var scope = NewDisposeScope();
        manual_seed(1);
        using var module = new ReusedInput();
        module.eval();
        var x = randn(1, 3, 8, 8);
        using var plan = TorchScriptPlan.Build(module, x, ConvKernelSelector.Shared);
        Assert.Contains("torch.relu(", plan.Source);
        Assert.DoesNotContain("torch.relu_(", plan.Source);
        using var _ = no_grad();
        Assert.True((module.forward(x) - plan.Run(x)).abs().max().item<float>() <= 1e-5f);
    }

    /// <summary>A module whose graph uses an op with no TorchScript form here.</summary>
    private sealed class OnnxOnly : nn.Module<Tensor, Tensor>, NanoDet.Abstractions.Export.IOnnxExportable
    {
        public OnnxOnly() : base(nameof(OnnxOnly))
        {
        }

        public override Tensor forward(Tensor x) => x.abs();

        public IReadOnlyList<NanoDet.Abstractions.Export.OnnxValue> ExportOnnx(NanoDet.Abstractions.Export.IOnnxGraphBuilder graph,
            IReadOnlyList<NanoDet.Abstractions.Export.OnnxValue> inputs) => [graph.Op("Abs", inputs, inputs[0].Shape)];
    }

    [Fact]
    public void A_graph_without_a_TorchScript_form_is_refused_with_the_op_named()
    {
        using var scope = NewDisposeScope();
        using var module = new OnnxOnly();
        var e = Assert.Throws<NotSupportedException>(() => TorchScriptPlan.Build(module, randn(1, 3, 8, 8), ConvKernelSelector.Shared));
        Assert.Contains("Abs", e.Message);
    }

    [Fact]
    public void The_backend_runs_module_by_module_when_told_to()
    {
        using var model = ExportFixture.TinyModel();
        var input = ExportFixture.Input(64, 64);
        using var compiled = new TorchBackend(model, CPU, forward: TorchForward.TorchScript);
        using var eager = new TorchBackend(model, CPU, forward: TorchForward.Module);
        Assert.True(ExportFixture.MaxDiff(compiled.Run(input, 1, 64, 64).Values, eager.Run(input, 1, 64, 64).Values) <= 1e-5);
        Assert.Equal("compiled graph", compiled.Mode);
        Assert.Equal("module by module", eager.Mode);
    }
}
