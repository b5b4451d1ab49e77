using NanoDet.Evaluators.Coco;

namespace NanoDet.Evaluators.Corners;

/// <summary>
/// Matches detections to ground truth for the corner metrics: per image and class, detections in descending
/// score order (ties in input order, no per-image cap) each take the not yet matched, non-crowd ground truth of
/// highest box IoU, provided IoU ≥ the threshold (ties: the first in file order). Each ground truth is matched at
/// most once. Pairs where either side lacks corners are counted and skipped. Images run in parallel; their
/// results are joined in image order, so the output does not depend on the thread count.
/// </summary>
internal static class CornerMatcher
{
    public static CornerMetrics Compute(EvalDataset data, double iouThreshold)
    {
        var perImage = new ImageResult[data.ImageIds.Length];
        Parallel.For(0, perImage.Length, i => perImage[i] = MatchImage(data.GroundTruth[i], data.Detections[i], iouThreshold));

        var distances = new List<double>();
        var pairErrors = new List<double>();
        var normalized = new List<double>();
        int skipped = 0, detsWithout = 0, gtsWithout = 0;
        foreach (var r in perImage)
        {
            distances.AddRange(r.Distances);
            pairErrors.AddRange(r.PairErrors);
            normalized.AddRange(r.Normalized);
            skipped += r.Skipped;
            detsWithout += r.DetectionsWithoutPoints;
            gtsWithout += r.GroundTruthWithoutPoints;
        }
        return new CornerMetrics(pairErrors.Count, skipped, detsWithout, gtsWithout,
            distances.ToArray(), pairErrors.ToArray(), normalized.ToArray());
    }

    private static ImageResult MatchImage(GroundTruthObject[] gts, DetectionObject[] dts, double iouThreshold)
    {
        var result = new ImageResult();
        foreach (var g in gts) if (!g.IsCrowd && g.Points is null) result.GroundTruthWithoutPoints++;
        foreach (var d in dts) if (d.Points is null) result.DetectionsWithoutPoints++;
        if (gts.Length == 0 || dts.Length == 0) return result;

        var scores = new double[dts.Length];
        for (int i = 0; i < scores.Length; i++) scores[i] = dts[i].Score;
        var matched = new bool[gts.Length];
        foreach (int di in ScoreOrder.Descending(scores))
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
            ref readonly var truth = ref gts[best];
            if (d.Points is not { } p || truth.Points is not { } q)
            {
                result.Skipped++;
                continue;
            }
            double sum = 0;
            for (int k = 0; k < 4; k++)
            {
                double dist = Math.Sqrt(Square(p.X(k) - q.X(k)) + Square(p.Y(k) - q.Y(k)));
                result.Distances.Add(dist);
                sum += dist;
            }
            double e = sum / 4;
            result.PairErrors.Add(e);
            result.Normalized.Add(e / Math.Sqrt(Square(truth.W) + Square(truth.H)));
        }
        return result;
    }

    private static double Square(double v) => v * v;

    private sealed class ImageResult
    {
        public List<double> Distances { get; } = [];
        public List<double> PairErrors { get; } = [];
        public List<double> Normalized { get; } = [];
        public int Skipped { get; set; }
        public int DetectionsWithoutPoints { get; set; }
        public int GroundTruthWithoutPoints { get; set; }
    }
}
