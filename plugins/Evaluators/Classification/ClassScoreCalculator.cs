using NanoDet.Abstractions.Evaluation;
using NanoDet.Evaluators.Coco;

namespace NanoDet.Evaluators.Classification;

/// <summary>
/// Per-class precision, recall and F1. Per image and class, detections in descending score order (stable) each
/// take the unmatched non-crowd ground truth of highest box IoU ≥ the threshold (a true positive); one that finds
/// none but overlaps a crowd region by ≥ the threshold (IoU with the detection's area as denominator, as COCO)
/// is ignored; the rest are false positives. Over all images, precision = TP / (TP + FP) and recall = TP / GT
/// for the detections scoring ≥ a threshold; since matching goes by score, each threshold's matches are a
/// prefix of the full list. The F1-maximising threshold is searched over every distinct detection score.
/// </summary>
internal static class ClassScoreCalculator
{
    public static IReadOnlyList<ClassScores> Compute(EvalDataset data, double iou, double scoreThreshold)
    {
        var result = new ClassScores[data.ClassCount];
        for (int k = 0; k < data.ClassCount; k++)
        {
            var (scores, truePositive, groundTruth) = Outcomes(data, k, iou);
            result[k] = Summarise(data.ClassNames[k], scores, truePositive, groundTruth, scoreThreshold);
        }
        return result;
    }

    /// <summary>Scores and TP flags (ignored detections left out), descending by score, and the non-crowd ground-truth count of class k.</summary>
    public static (double[] Scores, bool[] TruePositive, int GroundTruth) Outcomes(EvalDataset data, int k, double iou)
    {
        var found = new List<(double Score, bool Tp)>();
        int gtCount = 0;
        for (int i = 0; i < data.ImageIds.Length; i++)
        {
            var gts = Array.FindAll(data.GroundTruth[i], g => g.Label == k);
            var dts = Array.FindAll(data.Detections[i], d => d.Label == k);
            foreach (var g in gts) if (!g.IsCrowd) gtCount++;
            var order = ScoreOrder.Descending(dts.Select(d => d.Score).ToArray());
            var used = new bool[gts.Length];
            foreach (int d in order)
            {
                int best = -1;
                double bestIou = iou;
                bool crowd = false;
                for (int g = 0; g < gts.Length; g++)
                {
                    double v = BoxOverlap.Iou(dts[d], gts[g], gts[g].W * gts[g].H);
                    if (gts[g].IsCrowd)
                    {
                        crowd |= v >= iou;
                        continue;
                    }
                    if (used[g] || v < bestIou) continue;
                    (best, bestIou) = (g, v);
                }
                if (best >= 0)
                {
                    used[best] = true;
                    found.Add((dts[d].Score, true));
                }
                else if (!crowd)
                {
                    found.Add((dts[d].Score, false));
                }
            }
        }
        var sorted = ScoreOrder.Descending(found.Select(f => f.Score).ToArray());
        return (sorted.Select(j => found[j].Score).ToArray(), sorted.Select(j => found[j].Tp).ToArray(), gtCount);
    }

    public static ClassScores Summarise(string name, double[] scores, bool[] truePositive, int groundTruth, double threshold)
    {
        double bestF1 = groundTruth > 0 ? 0 : double.NaN, bestThr = double.NaN, bestP = double.NaN, bestR = double.NaN;
        int tp = 0, fp = 0, tpAt = 0, fpAt = 0;
        for (int i = 0; i < scores.Length; i++)
        {
            if (truePositive[i]) tp++;
            else fp++;
            if (scores[i] >= threshold) (tpAt, fpAt) = (tp, fp);
            bool lastOfScore = i + 1 == scores.Length || scores[i + 1] != scores[i];
            if (!lastOfScore || groundTruth == 0) continue;
            var (p, r, f) = Prf(tp, fp, groundTruth);
            // the first (highest) threshold wins ties
            if (f > bestF1 || double.IsNaN(bestThr)) (bestF1, bestThr, bestP, bestR) = (f, scores[i], p, r);
        }
        var (pAt, rAt, fAt) = groundTruth > 0 ? Prf(tpAt, fpAt, groundTruth) : (tpAt + fpAt > 0 ? 0.0 : double.NaN, double.NaN, double.NaN);
        return new ClassScores(name, groundTruth, bestF1, bestThr, bestP, bestR, pAt, rAt, fAt);
    }

    /// <summary>Precision (0 without detections), recall and F1 (0 when both are 0).</summary>
    public static (double P, double R, double F1) Prf(int tp, int fp, int groundTruth)
    {
        double p = tp + fp > 0 ? (double)tp / (tp + fp) : 0;
        double r = (double)tp / groundTruth;
        return (p, r, p + r > 0 ? 2 * p * r / (p + r) : 0);
    }
}
