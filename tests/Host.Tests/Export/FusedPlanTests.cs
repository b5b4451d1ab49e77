using NanoDet.Abstractions.Model;
using NanoDet.Compute.Layers;
using NanoDet.Export;
using NanoDet.Host.Inference;
using NanoDet.Host.Tests.Model;
using Xunit.Abstractions;
using static TorchSharp.torch;

namespace NanoDet.Host.Tests.Export;

/// <summary>
/// What the torch backend runs on the CPU by default, a <see cref="FusedPlan"/>, checked on randomised weights and
/// BatchNorm statistics (so every layer moves the output): float32 rounding away from the modules' own forward, rebuilt
/// after a weight is written, and replaced by the TorchScript function when a graph has no fused form.
/// </summary>
public class FusedPlanTests(ITestOutputHelper output)
{
    private static DetectorModule Build(string which)
    {
        var model = ExportFixture.PlanModel(which);
        ExportFixture.Randomize(model, 3);
        model.eval();
        return model;
    }

    [Theory]
    [MemberData(nameof(ExportFixture.PlanModels), MemberType = typeof(ExportFixture))]
    public void The_fused_forward_equals_the_module_by_module_forward(string which, int height, int width)
    {
        using var scope = NewDisposeScope();
        manual_seed(5);
        using var model = Build(which);
        var x = randn(1, 3, height, width);
        using var plan = FusedPlan.Build(model, x);
        float[] expected;
        using (no_grad()) expected = model.forward(x).data<float>().ToArray();
        var actual = plan.Run(x.data<float>().ToArray());
        double scale = Math.Max(1, expected.Max(Math.Abs));
        output.WriteLine($"{which}: max |Δ| = {ExportFixture.MaxDiff(expected, actual):E2} at output scale {scale:F1}; " +
                         $"{plan.Program.Ops.Count} operations, {plan.Program.BufferCount} buffers, {plan.Program.Bytes / 1024} KiB");
        Assert.True(ExportFixture.MaxDiff(expected, actual) <= 1e-5 * scale, $"max |Δ| {ExportFixture.MaxDiff(expected, actual):E2}");
        Assert.Equal(plan.Difference, ExportFixture.MaxDiff(expected, actual), 6);
        // Every LeakyReLU of these networks follows a convolution and is applied as it stores its outputs.
        Assert.DoesNotContain(plan.Program.Ops, o => o.Describe().StartsWith("activation Leaky", StringComparison.Ordinal));
        Assert.Contains(plan.Program.Ops, o => o is NanoDet.Compute.Fused.FusedOps.ShuffleConcat);
        Assert.True(plan.Program.BufferCount < plan.Program.Ops.Count / 4, $"{plan.Program.BufferCount} buffers for {plan.Program.Ops.Count} operations");
        // On two threads the convolutions and pooling are split into parts that compute whole outputs: the same floats.
        using var split = FusedPlan.Build(model, x, threads: 2);
        Assert.Equal(actual, split.Run(x.data<float>().ToArray()));
    }

    [Fact]
    public void The_backend_runs_the_fused_forward_by_default_and_rebuilds_it_after_a_weight_changes()
    {
        using var scope = NewDisposeScope();
        using var model = ExportFixture.TinyModel();
        var input = ExportFixture.Input(64, 96);
        var lines = new List<string>();
        using var backend = new TorchBackend(model, CPU, log: lines.Add);
        var before = backend.Run(input, 1, 64, 96);
        Assert.Equal("fused kernels", backend.Mode);
        Assert.Contains(lines, l => l.Contains("fused CPU kernels for [1, 3, 64, 96]", StringComparison.Ordinal));
        using (var module = new TorchBackend(model, CPU, forward: TorchForward.Module))
            Assert.True(ExportFixture.MaxDiff(module.Run(input, 1, 64, 96).Values, before.Values) <= 1e-5);

        var bn = model.modules().OfType<TorchSharp.Modules.BatchNorm2d>().First();
        using (no_grad()) bn.running_mean!.add_(0.5);
        var after = backend.Run(input, 1, 64, 96).Values;
        Assert.True(ExportFixture.MaxDiff(before.Values, after) > 1e-3, "the changed statistics did not reach the output");
        float[] expected;
        using (no_grad()) expected = model.forward(from_array(input).view(1, 3, 64, 96)).data<float>().ToArray();
        Assert.True(ExportFixture.MaxDiff(expected, after) <= 1e-5, $"rebuilt plan vs forward: {ExportFixture.MaxDiff(expected, after)}");
        Assert.Equal(2, lines.Count(l => l.Contains("fused CPU kernels", StringComparison.Ordinal)));
    }

    [Fact]
    public void A_graph_without_a_fused_form_runs_as_the_compiled_TorchScript_function_and_the_log_says_why()
    {
        using var scope = NewDisposeScope();
        manual_seed(0);
        var config = ModelConfig.Tiny(3);
        config["model:arch:backbone:activation"] = "SELU";
        using var model = ModelConfig.Detector(config);
        model.eval();
        var lines = new List<string>();
        using var backend = new TorchBackend(model, CPU, log: lines.Add);
        var input = ExportFixture.Input(64, 64);
        var y = backend.Run(input, 1, 64, 64).Values;
        Assert.Equal("compiled graph", backend.Mode);
        Assert.Contains(lines, l => l.Contains("no fused CPU forward: activation SELU has no fused form", StringComparison.Ordinal));
        float[] expected;
        using (no_grad()) expected = model.forward(from_array(input).view(1, 3, 64, 64)).data<float>().ToArray();
        Assert.True(ExportFixture.MaxDiff(expected, y) <= 1e-5);
    }

    [Fact]
    public void A_dilated_convolution_is_refused_with_its_shape_named()
    {
        using var scope = NewDisposeScope();
        using var module = new Dilated();
        module.eval();
        var e = Assert.Throws<NotSupportedException>(() => FusedPlan.Build(module, randn(1, 3, 8, 8)));
        Assert.Contains("dilation 2×2", e.Message);
    }

    /// <summary>One 3×3 convolution with dilation 2 (no fused kernel).</summary>
    private sealed class Dilated : nn.Module<Tensor, Tensor>, NanoDet.Abstractions.Export.IOnnxExportable
    {
        private readonly AdaptiveConv2d conv = new(3, 4, 3, padding: 2, dilation: 2);

        public Dilated() : base(nameof(Dilated)) => RegisterComponents();

        public override Tensor forward(Tensor x) => conv.forward(x);

        public IReadOnlyList<NanoDet.Abstractions.Export.OnnxValue> ExportOnnx(NanoDet.Abstractions.Export.IOnnxGraphBuilder graph,
            IReadOnlyList<NanoDet.Abstractions.Export.OnnxValue> inputs) => [graph.Conv(inputs[0], conv)];
    }
}
