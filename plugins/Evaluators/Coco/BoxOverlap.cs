namespace NanoDet.Evaluators.Coco;

/// <summary>
/// Box IoU on [x, y, w, h] with no +1, computed with the same operations in the same order as pycocotools'
/// <c>bbIou</c> (maskApi.c) so that IoU values, and hence threshold decisions, are bit-identical.
/// </summary>
internal sealed class BoxOverlap : IOverlapMeasure
{
    public static BoxOverlap Instance { get; } = new();

    public void Compute(ReadOnlySpan<DetectionObject> detections, ReadOnlySpan<GroundTruthObject> groundTruth, Span<double> iou)
    {
        int gCount = groundTruth.Length;
        for (int g = 0; g < gCount; g++)
        {
            ref readonly var gt = ref groundTruth[g];
            double ga = gt.W * gt.H;
            for (int d = 0; d < detections.Length; d++)
                iou[d * gCount + g] = Iou(detections[d], gt, ga);
        }
    }

    public double DetectionArea(in DetectionObject detection) => detection.Area;

    /// <summary>One pair; <paramref name="gtArea"/> = w·h of the ground-truth box.</summary>
    public static double Iou(in DetectionObject dt, in GroundTruthObject gt, double gtArea)
    {
        double da = dt.W * dt.H;
        double w = Math.Min(dt.W + dt.X, gt.W + gt.X) - Math.Max(dt.X, gt.X);
        if (w <= 0) return 0;
        double h = Math.Min(dt.H + dt.Y, gt.H + gt.Y) - Math.Max(dt.Y, gt.Y);
        if (h <= 0) return 0;
        double i = w * h;
        double u = gt.IsCrowd ? da : da + gtArea - i;
        return i / u;
    }
}
