using static TorchSharp.torch;

namespace NanoDet.Heads.Losses;

/// <summary>
/// Wing loss (Feng et al. 2018, landmark regression) on decoded distances in stride units: ω·ln(1 + |x|/ε) for
/// |x| &lt; ω, else |x| − C with C = ω − ω·ln(1 + ω/ε) (continuous at |x| = ω). It amplifies small errors
/// (slope ω/ε at 0) where L1 is flat. Defaults ω = 1 stride, ε = 0.2 stride keep the paper's ω/ε = 5 with
/// the log region covering sub-stride errors.
/// </summary>
public sealed class WingLoss : IDistanceLoss
{
    public const string ConfigName = "WingLoss";

    public WingLoss(double lossWeight = 0.25, double omega = 1.0, double epsilon = 0.2)
    {
        if (!(omega > 0)) throw new ArgumentOutOfRangeException(nameof(omega), omega, "omega must be positive");
        if (!(epsilon > 0)) throw new ArgumentOutOfRangeException(nameof(epsilon), epsilon, "epsilon must be positive");
        LossWeight = lossWeight;
        Omega = omega;
        Epsilon = epsilon;
    }

    public string Name => ConfigName;
    public double LossWeight { get; }
    public double Omega { get; }
    public double Epsilon { get; }

    /// <summary>C = ω − ω·ln(1 + ω/ε).</summary>
    public double Offset => Omega - Omega * Math.Log(1 + Omega / Epsilon);

    /// <summary>Elementwise wing loss, shape of <paramref name="pred"/>.</summary>
    public Tensor Elementwise(Tensor pred, Tensor target)
    {
        using var scope = NewDisposeScope();
        var x = (pred - target).abs();
        var small = (x / Epsilon).log1p() * Omega;
        return where(x < Omega, small, x - Offset).MoveToOuterDisposeScope();
    }

    public Tensor Forward(Tensor pred, Tensor target, Tensor? weight, double avgFactor)
    {
        using var scope = NewDisposeScope();
        return (LossReduction.WeightedSum(Elementwise(pred, target), weight, avgFactor) * LossWeight).MoveToOuterDisposeScope();
    }
}
