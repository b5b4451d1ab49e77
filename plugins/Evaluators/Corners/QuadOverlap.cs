using NanoDet.Evaluators.Coco;

namespace NanoDet.Evaluators.Corners;

/// <summary>
/// Quadrilateral IoU for the COCOeval machinery: area(D ∩ G) / area(D ∪ G) of the corner polygons, or
/// area(D ∩ G) / area(D) for a crowd region. Detections must have corners (see <see cref="QuadDataset"/>);
/// ground truth without corners uses its box rectangle.
/// </summary>
internal sealed class QuadOverlap : IOverlapMeasure
{
    public static QuadOverlap Instance { get; } = new();

    public void Compute(ReadOnlySpan<DetectionObject> detections, ReadOnlySpan<GroundTruthObject> groundTruth, Span<double> iou)
    {
        int gCount = groundTruth.Length;
        Span<QuadPolygon> gtPolys = gCount <= 32 ? stackalloc QuadPolygon[gCount] : new QuadPolygon[gCount];
        for (int g = 0; g < gCount; g++) gtPolys[g] = Polygon(groundTruth[g]);
        for (int d = 0; d < detections.Length; d++)
        {
            var dp = QuadPolygon.From(detections[d].Points!.Value);
            double da = dp.Area;
            for (int g = 0; g < gCount; g++)
            {
                double inter = QuadPolygon.IntersectionArea(dp, gtPolys[g]);
                double union = groundTruth[g].IsCrowd ? da : da + gtPolys[g].Area - inter;
                iou[d * gCount + g] = inter > 0 && union > 0 ? inter / union : 0;
            }
        }
    }

    /// <summary>The polygon area of the detection's corners.</summary>
    public double DetectionArea(in DetectionObject detection) => QuadPolygon.From(detection.Points!.Value).Area;

    /// <summary>IoU of two quads (union form).</summary>
    public static double Iou(in Quadrilateral a, in Quadrilateral b)
    {
        var pa = QuadPolygon.From(a);
        var pb = QuadPolygon.From(b);
        double inter = QuadPolygon.IntersectionArea(pa, pb);
        double union = pa.Area + pb.Area - inter;
        return inter > 0 && union > 0 ? inter / union : 0;
    }

    private static QuadPolygon Polygon(in GroundTruthObject g) =>
        QuadPolygon.From(g.Points ?? Quadrilateral.FromBox(g.X, g.Y, g.W, g.H));
}
