using System.Globalization;
using TorchSharp;

namespace NanoDet.Training;

/// <summary>
/// The learning rate of every optimizer step, computed explicitly (docs/reference.md#learning-rate-schedule) instead of chaining a
/// per-epoch scheduler with a per-step warmup override: while s ≤ warmup steps, lr = base·k(s); afterwards the
/// closed-form cosine of the current epoch, η_min + (base − η_min)(1 + cos(π·e/T_max))/2. When warmup ends in
/// epoch 0 (the usual case) this equals the reference exactly; when it spans epochs, the reference's chained rule
/// restarts from base where warmup ends, a small upward shift this schedule does not reproduce.
/// </summary>
public sealed class LearningRateSchedule(double baseLr, WarmupOptions warmup, LrScheduleOptions cosine)
{
    public double BaseLr { get; } = baseLr;
    public WarmupOptions Warmup { get; } = warmup;
    public LrScheduleOptions Cosine { get; } = cosine;

    /// <summary>From the config sections <c>schedule:optimizer</c>, <c>schedule:warmup</c>, <c>schedule:lr_schedule</c>.</summary>
    public static LearningRateSchedule From(OptimizerOptions optimizer, WarmupOptions warmup, LrScheduleOptions cosine) =>
        new(optimizer.Lr, warmup, cosine);

    /// <summary>
    /// The learning rate of the optimizer step taken after <paramref name="completedSteps"/> steps (0 for the first)
    /// during 0-based <paramref name="epoch"/>.
    /// </summary>
    public double At(long completedSteps, int epoch) =>
        IsWarmup(completedSteps) ? BaseLr * WarmupFactor(completedSteps) : CosineAt(epoch);

    /// <summary>True while the warmup overrides the cosine (s ≤ steps, as the reference's <c>global_step &lt;= steps</c>).</summary>
    public bool IsWarmup(long completedSteps) => Warmup.Steps > 0 && completedSteps <= Warmup.Steps;

    /// <summary>k(s): linear 1 − (1 − s/steps)(1 − ratio), constant ratio, exp ratio^(1 − s/steps).</summary>
    public double WarmupFactor(long completedSteps)
    {
        if (!IsWarmup(completedSteps)) return 1.0;
        double progress = (double)completedSteps / Warmup.Steps;
        return Warmup.Name switch
        {
            "linear" => 1 - (1 - progress) * (1 - Warmup.Ratio),
            "constant" => Warmup.Ratio,
            "exp" => Math.Pow(Warmup.Ratio, 1 - progress),
            _ => throw new InvalidOperationException($"unknown warmup '{Warmup.Name}'"),
        };
    }

    /// <summary>Cosine annealing at 0-based <paramref name="epoch"/>; periodic in 2·T_max like PyTorch's CosineAnnealingLR.</summary>
    public double CosineAt(int epoch) =>
        Cosine.EtaMin + (BaseLr - Cosine.EtaMin) * (1 + Math.Cos(Math.PI * epoch / Cosine.TMax)) / 2;

    /// <summary>Sets every parameter group of <paramref name="optimizer"/> to <see cref="At"/> and returns that rate.</summary>
    public double Apply(torch.optim.Optimizer optimizer, long completedSteps, int epoch)
    {
        double lr = At(completedSteps, epoch);
        foreach (var group in optimizer.ParamGroups) group.LearningRate = lr;
        return lr;
    }

    /// <summary>
    /// A warning when T_max &lt; <paramref name="totalEpochs"/> (docs/reference.md#learning-rate-schedule: the seed config's 600 epochs with
    /// T_max 300 climb back to the base rate); null when the schedule anneals monotonically.
    /// </summary>
    public string? PeriodWarning(int totalEpochs)
    {
        if (Cosine.TMax >= totalEpochs) return null;
        var ci = CultureInfo.InvariantCulture;
        return string.Create(ci,
            $"schedule:lr_schedule:T_max ({Cosine.TMax}) is below schedule:total_epochs ({totalEpochs}): the cosine is periodic, " +
            $"so the learning rate rises again after epoch {Cosine.TMax} and reaches {CosineAt(totalEpochs - 1):G4} in the last epoch; " +
            $"set T_max to {totalEpochs}");
    }
}
