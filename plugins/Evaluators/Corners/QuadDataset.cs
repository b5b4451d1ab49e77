using NanoDet.Evaluators.Coco;

namespace NanoDet.Evaluators.Corners;

/// <summary>
/// The subset of a dataset the quadrilateral AP evaluates: detections with corners; ground truth with corners,
/// plus crowd regions (with corners or, usually, their box rectangle), which keep their role of excusing
/// detections inside them. Non-crowd ground truth without corners is left out (it cannot be matched by shape).
/// </summary>
internal static class QuadDataset
{
    public static EvalDataset From(EvalDataset data)
    {
        var gts = new GroundTruthObject[data.ImageIds.Length][];
        var dts = new DetectionObject[data.ImageIds.Length][];
        for (int i = 0; i < gts.Length; i++)
        {
            gts[i] = data.GroundTruth[i].Where(g => g.Points is not null || g.IsCrowd).ToArray();
            dts[i] = data.Detections[i].Where(d => d.Points is not null).ToArray();
        }
        return new EvalDataset(data.ClassNames, data.CategoryIds, data.ImageIds, gts, dts);
    }

    /// <summary>True when some non-crowd ground truth has corners (otherwise there is nothing to measure).</summary>
    public static bool HasCorners(EvalDataset data) =>
        data.GroundTruth.Any(list => list.Any(g => !g.IsCrowd && g.Points is not null));
}
