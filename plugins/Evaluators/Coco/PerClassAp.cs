using NanoDet.Abstractions.Evaluation;
using NanoDet.Evaluators.Numerics;

namespace NanoDet.Evaluators.Coco;

/// <summary>
/// NanoDet's per-class AP: for class k, AP50 = mean of precision[IoU .50, all R, k, area all, maxDets 100] and
/// mAP = the same over all IoU thresholds (entries &gt; −1 only; NaN when the class has no ground truth).
/// </summary>
internal static class PerClassAp
{
    public static IReadOnlyList<ClassMetrics> Compute(CocoAccumulation acc, IReadOnlyList<string> names)
    {
        var p = acc.Parameters;
        int m = p.M - 1;
        var result = new ClassMetrics[acc.K];
        var values = new List<double>(p.T * p.R);
        for (int k = 0; k < acc.K; k++)
        {
            values.Clear();
            for (int r = 0; r < p.R; r++) Add(values, acc.Precision[acc.PrecisionIndex(0, r, k, 0, m)]);
            double ap50 = Mean(values);
            values.Clear();
            for (int t = 0; t < p.T; t++)
                for (int r = 0; r < p.R; r++) Add(values, acc.Precision[acc.PrecisionIndex(t, r, k, 0, m)]);
            result[k] = new ClassMetrics(names[k], ap50, Mean(values));
        }
        return result;
    }

    private static void Add(List<double> values, double v)
    {
        if (v > -1) values.Add(v);
    }

    private static double Mean(List<double> values) =>
        values.Count == 0 ? double.NaN : NumpyMean.Mean(System.Runtime.InteropServices.CollectionsMarshal.AsSpan(values));
}
