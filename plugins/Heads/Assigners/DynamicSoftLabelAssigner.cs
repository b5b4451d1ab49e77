using NanoDet.Abstractions.Model;
using NanoDet.Heads.Geometry;
using NanoDet.Inference.Detections;
using NanoDet.Inference.Errors;
using NanoDet.Inference.Geometry;
using TorchSharp;
using static TorchSharp.torch;

namespace NanoDet.Heads.Assigners;

/// <summary>
/// NanoDet-Plus's Dynamic Soft Label Assigner (docs/reference.md#label-assignment) with the four-point corner cost: for one image,
/// priors strictly inside some ground-truth box (or, with <c>center_radius</c>, near its centre) are candidates; each ground truth j takes the k_j cheapest
/// candidates, k_j = max(1, ⌊Σ top-min(topk, V) IoUs of column j⌋); a prior taken twice keeps the ground truth
/// of lowest cost. Cost = soft-label focal BCE over all classes + iou_factor·(−ln(IoU + 1e-7)) (+ α^(mean corner
/// L1 − β)). Runs without gradients and without per-prior loops: a fixed number of tensor ops per image.
/// </summary>
public sealed class DynamicSoftLabelAssigner(AssignerOptions options) : IAssigner
{
    private const double IouLogEps = 1e-7;

    public AssignerOptions Options { get; } = options;

    /// <inheritdoc />
    public AssignResult Assign(Tensor clsLogits, Tensor priors, Tensor decodedBoxes, Tensor? decodedPoints,
        Tensor gtBoxes, Tensor gtLabels, Tensor? gtPoints)
    {
        using var noGrad = no_grad();
        using var scope = NewDisposeScope();
        long n = priors.shape[0];
        int m = (int)gtBoxes.shape[0];
        var device = priors.device;
        var gtIndex = zeros(n, int64, device);
        var overlaps = zeros(n, float32, device);
        var labels = full(n, -1L, int64, device);

        var valid = m == 0 || n == 0 ? null : CandidateIndex(priors, gtBoxes, Options.CenterRadius);
        if (valid is null || valid.shape[0] == 0)
            return Result(m, gtIndex, overlaps, labels);

        var boxes = decodedBoxes.index_select(0, valid).to(float32);
        var gts = gtBoxes.to(float32);
        var ious = BoxOverlaps.PairwiseIoU(boxes, gts);                               // [V, M]
        var cost = ClassificationCost(clsLogits.index_select(0, valid).to(float32), gtLabels, ious)
                   + Options.IouFactor * -(ious + IouLogEps).log();                  // [V, M]
        if (Options.PointsCost && decodedPoints is not null && gtPoints is not null)
            cost += PointsCost(decodedPoints.index_select(0, valid).to(float32), gtPoints.to(float32));

        var matching = DynamicKMatching(cost, ious);                                  // [V, M] 0/1
        var fg = matching.sum(1) > 0;                                                 // [V]
        var pos = valid.masked_select(fg);                                            // [P]
        var matchedGt = matching.argmax(1).masked_select(fg);                         // [P]
        var matchedIou = (matching * ious).sum(1).masked_select(fg);                  // [P]
        gtIndex.index_put_(matchedGt + 1, pos);
        labels.index_put_(gtLabels.to(int64).index_select(0, matchedGt), pos);
        overlaps.index_put_(matchedIou, pos);
        return Result(m, gtIndex, overlaps, labels);
    }

    /// <summary>
    /// Indices [V] (int64) of priors whose center lies strictly inside at least one ground-truth box:
    /// cx − x1 &gt; 0, cy − y1 &gt; 0, x2 − cx &gt; 0, y2 − cy &gt; 0; with <paramref name="centerRadius"/> r &gt; 0 also
    /// priors with |cx − bx| &lt; r·stride and |cy − by| &lt; r·stride, (bx, by) the box centre (the tiny-plate rule).
    /// <paramref name="priors"/> [N, 4] (cx, cy, stride_w, stride_h), <paramref name="gtBoxes"/> [M, 4].
    /// </summary>
    public static Tensor CandidateIndex(Tensor priors, Tensor gtBoxes, double centerRadius = 0)
    {
        using var scope = NewDisposeScope();
        var centers = priors[.., ..2].unsqueeze(1);                                   // [N, 1, 2]
        var gts = gtBoxes.to(priors.dtype).unsqueeze(0);                              // [1, M, 4]
        var deltas = cat([centers - gts[.., .., ..2], gts[.., .., 2..] - centers], -1); // [N, M, 4]
        var inside = deltas.amin(-1) > 0;                                             // [N, M]
        if (centerRadius > 0)
        {
            var boxCenters = (gts[.., .., ..2] + gts[.., .., 2..]) / 2;               // [1, M, 2]
            var reach = priors[.., 2..4].unsqueeze(1) * centerRadius;                 // [N, 1, 2]
            var near = ((centers - boxCenters).abs() < reach).all(-1);                // [N, M]
            inside = inside.logical_or(near);
        }
        return inside.any(1).nonzero().squeeze(1).MoveToOuterDisposeScope();
    }

    /// <summary>
    /// Soft-label focal BCE summed over all C classes, [V, M]: Σ_c BCE(x_c, S_jc)·|S_jc − σ(x_c)|² with
    /// S_jc = IoU_ij at c = label_j, else 0. Computed as the all-negative sum [V] (one pass over [V, C]) with the
    /// label column swapped for its soft-target term, instead of materialising [V, M, C].
    /// </summary>
    private static Tensor ClassificationCost(Tensor logits, Tensor gtLabels, Tensor ious)
    {
        var p = logits.sigmoid();
        var negAll = (nn.functional.softplus(logits) * p.square()).sum(1, keepdim: true);   // [V, 1]
        var idx = gtLabels.to(int64);
        var x = logits.index_select(1, idx);                                                // [V, M]
        var px = p.index_select(1, idx);
        var neg = nn.functional.softplus(x) * px.square();
        var soft = nn.functional.binary_cross_entropy_with_logits(x, ious, reduction: nn.Reduction.None)
                   * (ious - px).square();
        return negAll - neg + soft;
    }

    /// <summary>Corner cost [V, M]: α^(mean_k |Q̂_ik − Q_jk| − β), pixels; points [V, 8] and [M, 8].</summary>
    private Tensor PointsCost(Tensor points, Tensor gtPoints)
    {
        var meanL1 = (points.unsqueeze(1) - gtPoints.unsqueeze(0)).abs().mean([-1]);      // [V, M]
        return ((meanL1 - Options.PointsCostBeta) * Math.Log(Options.PointsCostAlpha)).exp();
    }

    /// <summary>
    /// 0/1 matching matrix [V, M]: column j marks its k_j lowest-cost rows; a row marked in several columns keeps
    /// only the column of lowest cost over all ground truths (the reference's rule).
    /// </summary>
    private Tensor DynamicKMatching(Tensor cost, Tensor ious)
    {
        long v = cost.shape[0];
        int candidates = (int)Math.Min(Options.TopK, v);
        var ks = ious.topk(candidates, dim: 0).values.sum(dim: 0).to(int64).clamp_min(1);   // [M], truncated toward zero
        int kMax = (int)ks.max().item<long>();
        var order = cost.topk(kMax, dim: 0, largest: false).indexes;                       // [kMax, M]
        var take = (arange(kMax, device: cost.device).unsqueeze(1) < ks.unsqueeze(0)).to(cost.dtype);
        var matching = zeros_like(cost).scatter_(0, order, take);
        var multiple = (matching.sum(1) > 1).unsqueeze(1);                                  // [V, 1]
        var best = nn.functional.one_hot(cost.argmin(1), cost.shape[1]).to(cost.dtype);    // [V, M]
        return where(multiple, best, matching);
    }

    private static AssignResult Result(int m, Tensor gtIndex, Tensor overlaps, Tensor labels) =>
        new(m, gtIndex.MoveToOuterDisposeScope(), overlaps.MoveToOuterDisposeScope(), labels.MoveToOuterDisposeScope());
}
