using NanoDet.Evaluators.Coco;
using NanoDet.Evaluators.Corners;

namespace NanoDet.Evaluators.Keypoints;

/// <summary>
/// Object keypoint similarity over the four corners, as pycocotools' <c>computeOks</c> defines it:
/// OKS = mean over corners k of exp(−d_k² / (2·(2σ_k)²·(area + ε))), with d_k the distance between detected
/// and ground-truth corner k, area the ground truth's COCO <c>area</c> and ε = numpy's spacing(1). A ground
/// truth without corners (always an ignored one, see <see cref="KeypointDataset"/>) measures each detected
/// corner's distance to the ground-truth box grown by its own size on every side. A detection's area for the
/// area ranges is that of its corners' bounding rectangle (pycocotools' <c>loadRes</c> for keypoint results).
/// </summary>
internal sealed class OksOverlap(IReadOnlyList<double> sigmas) : IOverlapMeasure
{
    private readonly double[] _vars = [.. sigmas.Select(s => (s * 2) * (s * 2))];

    public void Compute(ReadOnlySpan<DetectionObject> detections, ReadOnlySpan<GroundTruthObject> groundTruth, Span<double> iou)
    {
        int gCount = groundTruth.Length;
        double eps = Math.BitIncrement(1.0) - 1.0;
        Span<double> e = stackalloc double[4];
        for (int g = 0; g < gCount; g++)
        {
            ref readonly var gt = ref groundTruth[g];
            double x0 = gt.X - gt.W, x1 = gt.X + gt.W * 2, y0 = gt.Y - gt.H, y1 = gt.Y + gt.H * 2;
            for (int d = 0; d < detections.Length; d++)
            {
                var dq = detections[d].Points!.Value;
                for (int k = 0; k < 4; k++)
                {
                    double dx, dy;
                    if (gt.Points is { } gq)
                    {
                        dx = dq.X(k) - gq.X(k);
                        dy = dq.Y(k) - gq.Y(k);
                    }
                    else
                    {
                        dx = Math.Max(0, x0 - dq.X(k)) + Math.Max(0, dq.X(k) - x1);
                        dy = Math.Max(0, y0 - dq.Y(k)) + Math.Max(0, dq.Y(k) - y1);
                    }
                    e[k] = (dx * dx + dy * dy) / _vars[k] / (gt.Area + eps) / 2;
                }
                double sum = 0;
                for (int k = 0; k < 4; k++) sum += Math.Exp(-e[k]);
                iou[d * gCount + g] = sum / 4;
            }
        }
    }

    /// <summary>Area of the bounding rectangle of the detection's corners.</summary>
    public double DetectionArea(in DetectionObject detection) => ExtentArea(detection.Points!.Value);

    public static double ExtentArea(in Quadrilateral q)
    {
        double xMin = Math.Min(Math.Min(q.X0, q.X1), Math.Min(q.X2, q.X3)), xMax = Math.Max(Math.Max(q.X0, q.X1), Math.Max(q.X2, q.X3));
        double yMin = Math.Min(Math.Min(q.Y0, q.Y1), Math.Min(q.Y2, q.Y3)), yMax = Math.Max(Math.Max(q.Y0, q.Y1), Math.Max(q.Y2, q.Y3));
        return (xMax - xMin) * (yMax - yMin);
    }
}
