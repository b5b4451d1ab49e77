using NanoDet.Evaluators.Coco;

namespace NanoDet.Evaluators.Corners;

/// <summary>
/// Matches detections to ground truth for the corner metrics: per image and class, detections in descending
/// score order (ties in input order, no per-image cap) each take the not yet matched, non-crowd ground truth of
/// highest box IoU, provided IoU ≥ the threshold (ties: the first in file order). Each ground truth is matched at
/// most once. Pairs where either side lacks corners are counted and skipped.
/// </summary>
internal static class CornerMatcher
{
    public static CornerMetrics Compute(EvalDataset data, double iouThreshold)
    {
        var distances = new List<double>();
        var pairErrors = new List<double>();
        var normalized = new List<double>();
        int skipped = 0, detsWithout = 0, gtsWithout = 0;

        for (int i = 0; i < data.ImageIds.Length; i++)
        {
            var gts = data.GroundTruth[i];
            var dts = data.Detections[i];
            foreach (var g in gts) if (!g.IsCrowd && g.Points is null) gtsWithout++;
            foreach (var d in dts) if (d.Points is null) detsWithout++;
            if (gts.Length == 0 || dts.Length == 0) continue;

            var order = ScoreOrder.Descending(dts.Select(d => d.Score).ToArray());
            var matched = new bool[gts.Length];
            foreach (int di in order)
            {
                ref readonly var d = ref dts[di];
                int best = -1;
                double bestIou = -1;
                for (int g = 0; g < gts.Length; g++)
                {
                    ref readonly var gt = ref gts[g];
                    if (matched[g] || gt.IsCrowd || gt.Label != d.Label) continue;
                    double iou = BoxOverlap.Iou(d, gt, gt.W * gt.H);
                    if (iou >= iouThreshold && iou > bestIou)
                    {
                        bestIou = iou;
                        best = g;
                    }
                }
                if (best < 0) continue;
                matched[best] = true;
                var truth = gts[best];
                if (d.Points is not { } p || truth.Points is not { } q)
                {
                    skipped++;
                    continue;
                }
                double sum = 0;
                for (int k = 0; k < 4; k++)
                {
                    double dist = Math.Sqrt(Square(p.X(k) - q.X(k)) + Square(p.Y(k) - q.Y(k)));
                    distances.Add(dist);
                    sum += dist;
                }
                double e = sum / 4;
                pairErrors.Add(e);
                normalized.Add(e / Math.Sqrt(Square(truth.W) + Square(truth.H)));
            }
        }
        return new CornerMetrics(pairErrors.Count, skipped, detsWithout, gtsWithout,
            distances.ToArray(), pairErrors.ToArray(), normalized.ToArray());
    }

    private static double Square(double v) => v * v;
}
