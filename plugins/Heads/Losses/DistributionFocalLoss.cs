using TorchSharp;
using static TorchSharp.torch;

namespace NanoDet.Heads.Losses;

/// <summary>
/// Distribution Focal Loss (GFL; docs/reference.md#losses): for a target t in [0, R], with l = ⌊t⌋ and r = l + 1,
/// CE(z, l)·(r − t) + CE(z, r)·(t − l), CE = −log softmax over the R + 1 bins.
/// </summary>
public sealed class DistributionFocalLoss(double lossWeight = 0.25)
{
    public double LossWeight { get; } = lossWeight;

    /// <summary>Per-distribution loss [P]: bin logits [P, R+1], targets [P] in bin units within [0, R].</summary>
    public Tensor Elementwise(Tensor logits, Tensor target)
    {
        using var scope = NewDisposeScope();
        long regMax = logits.shape[1] - 1;
        var t = target.to(logits.dtype);
        var left = t.to(int64);                        // floor: targets are non-negative
        var right = left + 1;
        var weightLeft = right.to(logits.dtype) - t;
        var weightRight = t - left.to(logits.dtype);
        // t == R exactly gives weightRight = 0; clamp only the gather index so it stays in range.
        var logp = nn.functional.log_softmax(logits, 1);
        var ceLeft = -logp.gather(1, left.unsqueeze(1)).squeeze(1);
        var ceRight = -logp.gather(1, right.clamp_max(regMax).unsqueeze(1)).squeeze(1);
        return (ceLeft * weightLeft + ceRight * weightRight).MoveToOuterDisposeScope();
    }

    /// <summary>Scalar: loss_weight · Σ_i weight_i·ℓ_i / <paramref name="avgFactor"/>; weight [P] or null.</summary>
    public Tensor Forward(Tensor logits, Tensor target, Tensor? weight, double avgFactor)
    {
        using var scope = NewDisposeScope();
        return (LossReduction.WeightedSum(Elementwise(logits, target), weight, avgFactor) * LossWeight).MoveToOuterDisposeScope();
    }
}
