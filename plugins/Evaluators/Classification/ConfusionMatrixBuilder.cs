using NanoDet.Abstractions.Evaluation;
using NanoDet.Evaluators.Coco;

namespace NanoDet.Evaluators.Classification;

/// <summary>
/// The detection confusion matrix with background, class-agnostic matching: per image, detections scoring ≥ the
/// threshold and non-crowd ground truth are paired one-to-one by box IoU ≥ the IoU threshold, highest IoU first
/// (ties: earlier detection in score order, then earlier ground truth). A pair counts at [detected class, true
/// class]; unmatched ground truth at [background, true class]; an unmatched detection at [detected class,
/// background] unless a crowd region covers it by ≥ the IoU threshold (then it is left out).
/// </summary>
internal static class ConfusionMatrixBuilder
{
    public const string Background = "background";

    public static ConfusionMatrix Compute(EvalDataset data, double iou, double scoreThreshold)
    {
        int c = data.ClassCount;
        var counts = Enumerable.Range(0, c + 1).Select(_ => new int[c + 1]).ToArray();
        for (int i = 0; i < data.ImageIds.Length; i++)
        {
            var all = data.Detections[i];
            var order = ScoreOrder.Descending(all.Select(d => d.Score).ToArray());
            var dts = order.Where(j => all[j].Score >= scoreThreshold).Select(j => all[j]).ToArray();
            var gts = Array.FindAll(data.GroundTruth[i], g => !g.IsCrowd);
            var crowds = Array.FindAll(data.GroundTruth[i], g => g.IsCrowd);

            var pairs = new List<(double Iou, int D, int G)>();
            for (int d = 0; d < dts.Length; d++)
                for (int g = 0; g < gts.Length; g++)
                {
                    double v = BoxOverlap.Iou(dts[d], gts[g], gts[g].W * gts[g].H);
                    if (v >= iou) pairs.Add((v, d, g));
                }
            pairs.Sort((a, b) => a.Iou != b.Iou ? b.Iou.CompareTo(a.Iou) : a.D != b.D ? a.D.CompareTo(b.D) : a.G.CompareTo(b.G));
            var dUsed = new bool[dts.Length];
            var gUsed = new bool[gts.Length];
            foreach (var (_, d, g) in pairs)
            {
                if (dUsed[d] || gUsed[g]) continue;
                dUsed[d] = gUsed[g] = true;
                counts[dts[d].Label][gts[g].Label]++;
            }
            for (int g = 0; g < gts.Length; g++)
                if (!gUsed[g]) counts[c][gts[g].Label]++;
            for (int d = 0; d < dts.Length; d++)
            {
                if (dUsed[d]) continue;
                var det = dts[d];
                if (crowds.Any(r => BoxOverlap.Iou(det, r, r.W * r.H) >= iou)) continue;
                counts[det.Label][c]++;
            }
        }
        return new ConfusionMatrix([.. data.ClassNames, Background], counts, scoreThreshold, iou);
    }
}
