using NanoDet.Evaluators.Coco;

namespace NanoDet.Evaluators.Corners;

/// <summary>
/// What the quadrilateral AP evaluates: detections with corners, against ground truth with corners. Ground truth
/// without corners (crowd regions, objects labelled with a box only) becomes a crowd-style ignore region over its
/// box rectangle: a detection inside it is neither a true nor a false positive, since its shape cannot be judged.
/// Detections without corners are left out.
/// </summary>
internal static class QuadDataset
{
    public static EvalDataset From(EvalDataset data)
    {
        var gts = new GroundTruthObject[data.ImageIds.Length][];
        var dts = new DetectionObject[data.ImageIds.Length][];
        for (int i = 0; i < gts.Length; i++)
        {
            gts[i] = Array.ConvertAll(data.GroundTruth[i], g => g.Points is null ? g with { IsCrowd = true } : g);
            dts[i] = Array.FindAll(data.Detections[i], d => d.Points is not null);
        }
        return new EvalDataset(data.ClassNames, data.CategoryIds, data.ImageIds, gts, dts);
    }

    /// <summary>True when some non-crowd ground truth has corners (otherwise there is nothing to measure).</summary>
    public static bool HasCorners(EvalDataset data) =>
        data.GroundTruth.Any(list => list.Any(g => !g.IsCrowd && g.Points is not null));
}
