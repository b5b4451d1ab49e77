using TorchSharp;
using static TorchSharp.torch;

namespace NanoDet.Heads.Losses;

/// <summary>
/// Quality Focal Loss (GFL; SPEC §4): per prior, Σ_c BCE(x_c, T_c)·|T_c − σ(x_c)|^β where T is the IoU at the
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
        var fg = (labels >= 0) & (labels < c);
        var column = where(fg, labels, c).to(int64);
        var target = nn.functional.one_hot(column, c + 1)[.., ..(int)c].to(logits.dtype) * scores.to(logits.dtype).unsqueeze(1);
        var bce = nn.functional.binary_cross_entropy_with_logits(logits, target, reduction: nn.Reduction.None);
        var gap = (target - logits.sigmoid()).abs();
        var modulation = Beta == 2.0 ? gap.square() : gap.pow(Beta);
        return (bce * modulation).sum(1).MoveToOuterDisposeScope();
    }

    /// <summary>Scalar: loss_weight · Σ_i weight_i·ℓ_i / <paramref name="avgFactor"/>; weight [P] or null (all 1).</summary>
    public Tensor Forward(Tensor logits, Tensor labels, Tensor scores, Tensor? weight, double avgFactor)
    {
        using var scope = NewDisposeScope();
        return (LossReduction.WeightedSum(Elementwise(logits, labels, scores), weight, avgFactor) * LossWeight).MoveToOuterDisposeScope();
    }
}
