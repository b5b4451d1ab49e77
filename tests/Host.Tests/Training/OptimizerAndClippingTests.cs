using Microsoft.Extensions.Configuration;
using NanoDet.Abstractions.Plugins;
using NanoDet.Host.Plugins;
using NanoDet.Inference.Errors;
using NanoDet.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace NanoDet.Host.Tests.Training;

public class OptimizerAndClippingTests
{
    private static IConfigurationSection Section(string path, params (string Key, string Value)[] values) =>
        new ConfigurationBuilder()
            .AddInMemoryCollection(values.Select(v => new KeyValuePair<string, string?>($"{path}:{v.Key}", v.Value)))
            .Build().GetSection(path);

    [Fact]
    public void AdamW_applies_the_decoupled_weight_decay()
    {
        using var scope = NewDisposeScope();
        var model = nn.Linear(2, 1);
        using (no_grad()) { model.weight!.fill_(1); model.bias!.fill_(2); }
        using var opt = OptimizerFactory.Create(new OptimizerOptions { Lr = 0.1, WeightDecay = 0.05 }, model);
        // A zero gradient leaves only the decay: p ← p·(1 − lr·wd) = p·0.995 (Adam's update is 0/(0 + eps) = 0).
        foreach (var p in model.parameters()) p.grad = zeros_like(p);
        opt.step();
        Assert.Equal(0.995f, model.weight!.data<float>()[0], 6);
        Assert.Equal(1.99f, model.bias!.data<float>()[0], 6);
    }

    [Fact]
    public void Optimizer_takes_only_trainable_parameters_of_the_model()
    {
        using var scope = NewDisposeScope();
        var model = nn.Sequential(("a", nn.Linear(2, 2)), ("b", nn.Linear(2, 2)));
        model.get_parameter("b.weight")!.requires_grad = false;
        using var opt = OptimizerFactory.Create(new OptimizerOptions(), model);
        Assert.Equal(3, opt.parameters().Count());
    }

    [Fact]
    public void Options_bind_from_nanodet_keys_and_reject_unknown_names()
    {
        var o = OptionsBinder.Bind<OptimizerOptions>(Section("schedule:optimizer",
            ("name", "AdamW"), ("lr", "0.0008"), ("weight_decay", "0.01"), ("betas:0", "0.8"), ("betas:1", "0.99")));
        Assert.Equal(0.0008, o.Lr);
        Assert.Equal(0.01, o.WeightDecay);
        Assert.Equal([0.8, 0.99], o.EffectiveBetas);
        Assert.Equal([0.9, 0.999], new OptimizerOptions().EffectiveBetas);
        var e = Assert.Throws<ConfigurationException>(() =>
            OptionsBinder.Bind<OptimizerOptions>(Section("schedule:optimizer", ("name", "SGD"))));
        Assert.StartsWith("schedule:optimizer:name: unsupported optimizer; available: AdamW (value: 'SGD')", e.Message);

        var lr = OptionsBinder.Bind<LrScheduleOptions>(Section("schedule:lr_schedule", ("name", "CosineAnnealingLR"), ("T_max", "300"), ("eta_min", "0.00005")));
        Assert.Equal(300, lr.TMax);
        Assert.Equal(5e-5, lr.EtaMin);
        e = Assert.Throws<ConfigurationException>(() => OptionsBinder.Bind<WarmupOptions>(Section("schedule:warmup", ("name", "cosine"))));
        Assert.StartsWith("schedule:warmup:name: unknown warmup; available: linear, constant, exp", e.Message);
        e = Assert.Throws<ConfigurationException>(() => OptionsBinder.Bind<WeightAveragerOptions>(Section("model:weight_averager", ("decay", "1.5"))));
        Assert.StartsWith("model:weight_averager:decay:", e.Message);
    }

    [Fact]
    public void Global_norm_clipping_scales_all_gradients_together()
    {
        using var scope = NewDisposeScope();
        var a = new TorchSharp.Modules.Parameter(zeros(1));
        var b = new TorchSharp.Modules.Parameter(zeros(1));
        var unused = new TorchSharp.Modules.Parameter(zeros(1));
        a.grad = tensor(new[] { 30f });
        b.grad = tensor(new[] { 40f });
        // ‖(30, 40)‖ = 50 > 35: both scaled by 35 / (50 + 1e-6) → 21, 28; the parameter without a gradient is skipped.
        double norm = GradientClipper.ClipGlobalNorm([a, b, unused], 35);
        Assert.Equal(50, norm, 4);
        Assert.Equal(21f, a.grad!.item<float>(), 4);
        Assert.Equal(28f, b.grad!.item<float>(), 4);
        // Below the threshold nothing changes.
        Assert.Equal(35, GradientClipper.ClipGlobalNorm([a, b], 100), 3);
        Assert.Equal(21f, a.grad!.item<float>(), 4);
        // A non-finite gradient is reported through the returned norm.
        b.grad = tensor(new[] { float.NaN });
        Assert.True(double.IsNaN(GradientClipper.ClipGlobalNorm([a, b], 35)));
    }
}
