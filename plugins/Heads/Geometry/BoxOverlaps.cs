using TorchSharp;
using static TorchSharp.torch;

namespace NanoDet.Heads.Geometry;

/// <summary>
/// IoU and GIoU of xyxy boxes with NanoDet's floors: union and enclosing area are clamped to at least
/// <c>eps</c> (1e-6), so degenerate boxes give 0 instead of NaN.
/// </summary>
public static class BoxOverlaps
{
    /// <summary>Default floor for union and enclosing area (the reference's bbox_overlaps eps).</summary>
    public const double DefaultEps = 1e-6;

    /// <summary>Pairwise IoU: boxes [N, 4] and [M, 4] xyxy → [N, M].</summary>
    public static Tensor PairwiseIoU(Tensor a, Tensor b, double eps = DefaultEps)
    {
        using var scope = NewDisposeScope();
        var areaA = Area(a);
        var areaB = Area(b);
        var lt = maximum(a[.., ..2].unsqueeze(1), b[.., ..2].unsqueeze(0));
        var rb = minimum(a[.., 2..].unsqueeze(1), b[.., 2..].unsqueeze(0));
        var wh = (rb - lt).clamp_min(0);
        var overlap = wh[.., .., 0] * wh[.., .., 1];
        var union = (areaA.unsqueeze(1) + areaB.unsqueeze(0) - overlap).clamp_min(eps);
        return (overlap / union).MoveToOuterDisposeScope();
    }

    /// <summary>Row-wise IoU of aligned boxes: [P, 4] and [P, 4] → [P].</summary>
    public static Tensor AlignedIoU(Tensor a, Tensor b, double eps = DefaultEps)
    {
        using var scope = NewDisposeScope();
        var (overlap, union) = OverlapAndUnion(a, b, eps);
        return (overlap / union).MoveToOuterDisposeScope();
    }

    /// <summary>Row-wise generalised IoU of aligned boxes: [P, 4] and [P, 4] → [P], in [−1, 1].</summary>
    public static Tensor AlignedGIoU(Tensor a, Tensor b, double eps = DefaultEps)
    {
        using var scope = NewDisposeScope();
        var (overlap, union) = OverlapAndUnion(a, b, eps);
        var iou = overlap / union;
        var elt = minimum(a[.., ..2], b[.., ..2]);
        var erb = maximum(a[.., 2..], b[.., 2..]);
        var ewh = (erb - elt).clamp_min(0);
        var enclose = (ewh[.., 0] * ewh[.., 1]).clamp_min(eps);
        return (iou - (enclose - union) / enclose).MoveToOuterDisposeScope();
    }

    private static (Tensor Overlap, Tensor Union) OverlapAndUnion(Tensor a, Tensor b, double eps)
    {
        var lt = maximum(a[.., ..2], b[.., ..2]);
        var rb = minimum(a[.., 2..], b[.., 2..]);
        var wh = (rb - lt).clamp_min(0);
        var overlap = wh[.., 0] * wh[.., 1];
        var union = (Area(a) + Area(b) - overlap).clamp_min(eps);
        return (overlap, union);
    }

    /// <summary>[N, 4] → [N] (negative for inverted boxes, as in the reference).</summary>
    private static Tensor Area(Tensor boxes) => (boxes[.., 2] - boxes[.., 0]) * (boxes[.., 3] - boxes[.., 1]);
}
