using NanoDet.Evaluators.Coco;

namespace NanoDet.Evaluators.Keypoints;

/// <summary>
/// What the keypoint AP evaluates, with pycocotools' keypoint rules: ground truth without corners
/// (<c>num_keypoints</c> 0) is ignored, crowd regions stay crowd regions (matched any number of times), and
/// detections without corners are left out (a keypoint result always has keypoints).
/// </summary>
internal static class KeypointDataset
{
    public static EvalDataset From(EvalDataset data)
    {
        var gts = new GroundTruthObject[data.ImageIds.Length][];
        var dts = new DetectionObject[data.ImageIds.Length][];
        for (int i = 0; i < gts.Length; i++)
        {
            gts[i] = Array.ConvertAll(data.GroundTruth[i], g => g.Points is null ? g with { Ignore = true } : g);
            dts[i] = Array.FindAll(data.Detections[i], d => d.Points is not null);
        }
        return new EvalDataset(data.ClassNames, data.CategoryIds, data.ImageIds, gts, dts);
    }
}
