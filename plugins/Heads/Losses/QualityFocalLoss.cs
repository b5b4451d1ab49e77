using TorchSharp;
using static TorchSharp.torch;

namespace NanoDet.Heads.Losses;

/// <summary>
/// Quality Focal Loss (GFL; docs/reference.md#losses): per prior, Σ_c BCE(x_c, T_c)·|T_c − σ(x_c)|^β where T is the IoU at the
/// matched class of a positive and 0 elsewhere. With T = 0 this is the focal negative term BCE(x, 0)·σ^β, so one
/// formula covers positives and negatives. The modulating factor is not detached (as the reference).
/// </summary>
public sealed class QualityFocalLoss(double beta = 2.0, double lossWeight = 1.0)
{
    public double Beta { get; } = beta;
    public double LossWeight { get; } = lossWeight;

    /// <summary>Per-prior loss [P]: logits [P, C]; labels int64 [P] (values outside [0, C) = background); scores [P] in [0, 1].</summary>
    public Tensor Elementwise(Tensor logits, Tensor labels, Tensor scores)
    {
        using var scope = NewDisposeScope();
        long c = logits.shape[1];
        // Every (prior, class) as a negative first — BCE(x, 0) = softplus(x) — then the few positive entries are
        // swapped for their soft-target term, as the reference does; no dense [P, C] target is built.
        var sigma = logits.sigmoid();
        var perPrior = (nn.functional.softplus(logits) * Modulate(sigma)).sum(1);       // [P]
        var pos = ((labels >= 0) & (labels < c)).nonzero().squeeze(1);                 // [Q]
        if (pos.shape[0] == 0) return perPrior.MoveToOuterDisposeScope();
        var column = labels.index_select(0, pos).to(int64).unsqueeze(1);               // [Q, 1]
        var x = logits.index_select(0, pos).gather(1, column).squeeze(1);               // [Q]
        var s = sigma.index_select(0, pos).gather(1, column).squeeze(1);
        var t = scores.index_select(0, pos).to(logits.dtype);
        var positive = nn.functional.binary_cross_entropy_with_logits(x, t, reduction: nn.Reduction.None) * Modulate((t - s).abs());
        var negative = nn.functional.softplus(x) * Modulate(s);
        return perPrior.index_add(0, pos, positive - negative, 1).MoveToOuterDisposeScope();
    }

    /// <summary>|gap|^β, squaring directly for the usual β = 2.</summary>
    private Tensor Modulate(Tensor gap) => Beta == 2.0 ? gap.square() : gap.pow(Beta);

    /// <summary>Scalar: loss_weight · Σ_i weight_i·ℓ_i / <paramref name="avgFactor"/>; weight [P] or null (all 1).</summary>
    public Tensor Forward(Tensor logits, Tensor labels, Tensor scores, Tensor? weight, double avgFactor)
    {
        using var scope = NewDisposeScope();
        return (LossReduction.WeightedSum(Elementwise(logits, labels, scores), weight, avgFactor) * LossWeight).MoveToOuterDisposeScope();
    }
}
