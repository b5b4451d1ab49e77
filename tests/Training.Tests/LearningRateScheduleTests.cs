using NanoDet.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace NanoDet.Training.Tests;

/// <summary>docs/reference.md#learning-rate-schedule, docs/reference.md#golden-values: warmup per step, cosine per epoch, lr = 1e-3, 500 steps, ratio 1e-4, T = 300, η_min = 5e-5.</summary>
public class LearningRateScheduleTests
{
    private static LearningRateSchedule Schedule(string warmup = "linear", int steps = 500, int tMax = 300) =>
        new(1e-3, new WarmupOptions { Name = warmup, Steps = steps, Ratio = 1e-4 }, new LrScheduleOptions { TMax = tMax, EtaMin = 5e-5 });

    private static void Near(double expected, double actual, double rel = 1e-4) =>
        Assert.True(Math.Abs(expected - actual) <= rel * Math.Abs(expected), $"expected {expected:G6}, got {actual:G6}");

    [Theory]
    // k(s) = 1 − (1 − s/500)(1 − 1e-4): s=0 → 1e-4; s=1 → 1 − 0.998·0.9999 = 0.0020998; s=250 → 0.50005; s=500 → 1.
    [InlineData(0, 1e-7)]
    [InlineData(1, 2.0998e-6)]
    [InlineData(250, 5.0005e-4)]
    [InlineData(500, 1e-3)]
    public void Warmup_golden_values(long step, double lr) => Near(lr, Schedule().At(step, epoch: 0));

    [Theory]
    // η_min + (base − η_min)(1 + cos(π e/300))/2: e=1 → 5e-5 + 9.5e-4·0.99999 = 9.99974e-4; e=150 → 5.25e-4;
    // e=299 → 5e-5 + 9.5e-4·2.74e-5 = 5.00260e-5; periodic: e=450 → 5.25e-4, e=600 → 1e-3 (docs/reference.md#learning-rate-schedule).
    [InlineData(0, 1e-3)]
    [InlineData(1, 9.99974e-4)]
    [InlineData(150, 5.25e-4)]
    [InlineData(299, 5.00260e-5)]
    [InlineData(300, 5e-5)]
    [InlineData(450, 5.25e-4)]
    [InlineData(600, 1e-3)]
    public void Cosine_golden_values(int epoch, double lr) => Near(lr, Schedule().At(10_000, epoch), 1e-5);

    [Fact]
    public void Warmup_overrides_the_cosine_until_step_500_inclusive()
    {
        var s = Schedule();
        // A 2-epoch warmup (e.g. 300 steps per epoch): step 400 is in epoch 1 but still warming up.
        Near(1e-3 * (1 - (1 - 400 / 500.0) * (1 - 1e-4)), s.At(400, epoch: 1));
        Assert.True(s.IsWarmup(500));
        Assert.False(s.IsWarmup(501));
        Near(s.CosineAt(1), s.At(501, epoch: 1));
    }

    [Fact]
    public void Constant_and_exp_warmups_and_no_warmup()
    {
        Near(1e-7, Schedule("constant").At(0, 0));
        Near(1e-7, Schedule("constant").At(499, 0));
        // exp: 1e-4^(1 − s/500): s=0 → 1e-4, s=250 → 1e-2, s=500 → 1.
        Near(1e-7, Schedule("exp").At(0, 0));
        Near(1e-5, Schedule("exp").At(250, 0));
        Near(1e-3, Schedule("exp").At(500, 0));
        // steps 0 disables warmup (the reference would divide by zero).
        Near(1e-3, Schedule(steps: 0).At(0, 0));
    }

    [Fact]
    public void Period_warning_for_the_seed_config_only()
    {
        // Seed: total_epochs 600 with T_max 300 (docs/reference.md#learning-rate-schedule): the lr climbs back to ~1e-3 by epoch 599.
        var warning = Schedule(tMax: 300).PeriodWarning(600);
        Assert.NotNull(warning);
        Assert.Contains("T_max (300) is below schedule:total_epochs (600)", warning);
        Assert.Contains("set T_max to 600", warning);
        Assert.Null(Schedule(tMax: 300).PeriodWarning(300));
        Assert.Null(Schedule(tMax: 600).PeriodWarning(600));
    }

    [Fact]
    public void Apply_sets_every_parameter_group_of_the_optimizer()
    {
        using var scope = NewDisposeScope();
        var model = nn.Linear(3, 2);
        using var opt = OptimizerFactory.Create(new OptimizerOptions(), model);
        double lr = Schedule().Apply(opt, 250, 0);
        Near(5.0005e-4, lr);
        Assert.All(opt.ParamGroups, g => Assert.Equal(lr, g.LearningRate));
    }
}
