using static TorchSharp.torch;

namespace NanoDet.Heads.Losses;

/// <summary>|pred − target| on decoded distances (stride units): the plainest corner loss, for comparison with DFL.</summary>
public sealed class L1Loss(double lossWeight = 0.25) : IDistanceLoss
{
    public const string ConfigName = "L1Loss";

    public string Name => ConfigName;
    public double LossWeight { get; } = lossWeight;

    /// <summary>Elementwise |pred − target|, shape of <paramref name="pred"/>.</summary>
    public Tensor Elementwise(Tensor pred, Tensor target) => (pred - target).abs();

    public Tensor Forward(Tensor pred, Tensor target, Tensor? weight, double avgFactor)
    {
        using var scope = NewDisposeScope();
        return (LossReduction.WeightedSum(Elementwise(pred, target), weight, avgFactor) * LossWeight).MoveToOuterDisposeScope();
    }
}
