using NanoDet.Heads.Geometry;
using static TorchSharp.torch;

namespace NanoDet.Heads.Losses;

/// <summary>GIoU loss (docs/reference.md#losses): 1 − GIoU(pred, target) per box pair, union and enclosing area floored at <c>eps</c>.</summary>
public sealed class GIoULoss(double lossWeight = 2.0, double eps = BoxOverlaps.DefaultEps)
{
    public double LossWeight { get; } = lossWeight;
    public double Eps { get; } = eps;

    /// <summary>Per-pair loss [P] in [0, 2]: pred and target boxes [P, 4] xyxy.</summary>
    public Tensor Elementwise(Tensor pred, Tensor target)
    {
        using var scope = NewDisposeScope();
        return (1 - BoxOverlaps.AlignedGIoU(pred, target, Eps)).MoveToOuterDisposeScope();
    }

    /// <summary>Scalar: loss_weight · Σ_i weight_i·ℓ_i / <paramref name="avgFactor"/>; weight [P] or null.</summary>
    public Tensor Forward(Tensor pred, Tensor target, Tensor? weight, double avgFactor)
    {
        using var scope = NewDisposeScope();
        return (LossReduction.WeightedSum(Elementwise(pred, target), weight, avgFactor) * LossWeight).MoveToOuterDisposeScope();
    }
}
