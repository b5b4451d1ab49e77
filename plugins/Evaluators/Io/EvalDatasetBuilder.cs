using NanoDet.Abstractions.Evaluation;
using NanoDet.Abstractions.Plugins;
using NanoDet.Evaluators.Coco;
using NanoDet.Evaluators.Corners;
using NanoDet.Inference.Errors;

namespace NanoDet.Evaluators.Io;

/// <summary>
/// Converts the shared records (a dataset's ground truth and a model's detections) into the evaluator's dataset.
/// Box [x, y, w, h] = [X1, Y1, X2 − X1, Y2 − Y1] with the subtraction in float, as NanoDet's results2json does
/// on float32 boxes; the GT area is <see cref="NanoDet.Abstractions.Data.Annotation.EvalArea"/>.
/// </summary>
internal static class EvalDatasetBuilder
{
    public static EvalDataset From(EvaluationInput input)
    {
        ArgumentNullException.ThrowIfNull(input);
        int classCount = input.Classes.Count;
        var images = input.Images.OrderBy(i => i.Id).ToArray();
        var indexOf = new Dictionary<int, int>();
        for (int i = 0; i < images.Length; i++)
            if (!indexOf.TryAdd(images[i].Id, i))
                throw new InputDataException($"evaluation input: duplicate image id {images[i].Id} ({images[i].FileName})");

        var gts = new GroundTruthObject[images.Length][];
        for (int i = 0; i < images.Length; i++)
        {
            var im = images[i];
            gts[i] = new GroundTruthObject[im.Annotations.Count];
            for (int j = 0; j < gts[i].Length; j++)
            {
                var a = im.Annotations[j];
                if (a.Label < 0 || a.Label >= classCount)
                    throw new InputDataException($"evaluation input: image {im.Id} ({im.FileName}) object {j}: label {a.Label} is outside the class table (0..{classCount - 1})");
                if (!a.Box.IsFinite || !float.IsFinite(a.EvalArea))
                    throw new InputDataException($"evaluation input: image {im.Id} ({im.FileName}) object {j}: box or area is not finite");
                gts[i][j] = new GroundTruthObject(a.Label, a.Box.X1, a.Box.Y1, a.Box.Width, a.Box.Height, a.EvalArea, a.IsCrowd,
                    a.Points is { } q && q.IsFinite ? Quadrilateral.From(q) : null);
            }
        }

        var dts = images.Select(_ => new List<DetectionObject>()).ToArray();
        foreach (var det in input.Detections)
        {
            if (!indexOf.TryGetValue(det.ImageId, out int i))
                throw new InputDataException($"evaluation input: a detection refers to image id {det.ImageId}, which has no ground-truth record");
            var d = det.Detection;
            if (d.Label < 0 || d.Label >= classCount)
                throw new InputDataException($"evaluation input: image {det.ImageId}: detection label {d.Label} is outside the class table (0..{classCount - 1})");
            if (!d.Box.IsFinite || !float.IsFinite(d.Score))
                throw new InputDataException($"evaluation input: image {det.ImageId}: detection box or score is not finite");
            dts[i].Add(new DetectionObject(d.Label, d.Box.X1, d.Box.Y1, d.Box.Width, d.Box.Height, d.Score,
                d.Points is { } q && q.IsFinite ? Quadrilateral.From(q) : null));
        }
        return new EvalDataset(input.Classes.Names, input.Classes.CategoryIds, images.Select(i => i.Id).ToArray(), gts,
            dts.Select(l => l.ToArray()).ToArray());
    }
}
