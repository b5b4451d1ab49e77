using System.Text;
using NanoDet.Evaluators.Numerics;

namespace NanoDet.Evaluators.Coco;

/// <summary>
/// pycocotools' <c>summarize()</c> for bbox: the 12 stats (each the numpy mean of the selected precision or
/// recall entries that are &gt; −1, in the arrays' row-major order; −1 when there are none) and the 12 printed lines.
/// </summary>
internal static class CocoSummary
{
    /// <summary>NanoDet's names for stats 0–5, then ours for the six AR values (stats 6–11).</summary>
    public static readonly IReadOnlyList<string> StatNames =
        ["mAP", "AP_50", "AP_75", "AP_small", "AP_m", "AP_l", "AR_1", "AR_10", "AR_100", "AR_small", "AR_m", "AR_l"];

    private static readonly (bool Ap, double? Iou, string Area, int MaxDets)[] Rows =
    [
        (true, null, "all", 100), (true, 0.5, "all", 100), (true, 0.75, "all", 100),
        (true, null, "small", 100), (true, null, "medium", 100), (true, null, "large", 100),
        (false, null, "all", 1), (false, null, "all", 10), (false, null, "all", 100),
        (false, null, "small", 100), (false, null, "medium", 100), (false, null, "large", 100),
    ];

    /// <summary>The 12 stats of a bbox accumulation (parameters from <see cref="CocoParameters.Bbox"/>).</summary>
    public static double[] Stats(CocoAccumulation acc)
    {
        var stats = new double[Rows.Length];
        for (int i = 0; i < Rows.Length; i++)
        {
            var (ap, iou, area, maxDets) = Rows[i];
            stats[i] = ap ? MeanPrecision(acc, iou, area, maxDets) : MeanRecall(acc, iou, area, maxDets);
        }
        return stats;
    }

    /// <summary>The 12 lines pycocotools prints for <paramref name="stats"/>.</summary>
    public static string Text(double[] stats)
    {
        var sb = new StringBuilder();
        for (int i = 0; i < Rows.Length; i++)
        {
            var (ap, iou, area, maxDets) = Rows[i];
            string title = ap ? "Average Precision" : "Average Recall";
            string type = ap ? "(AP)" : "(AR)";
            string iouText = iou is { } v ? PythonFormat.Fixed(v, 2) : "0.50:0.95";
            sb.Append(' ').Append(title.PadRight(18)).Append(' ').Append(type)
              .Append(" @[ IoU=").Append(iouText.PadRight(9))
              .Append(" | area=").Append(area.PadLeft(6))
              .Append(" | maxDets=").Append(maxDets.ToString(System.Globalization.CultureInfo.InvariantCulture).PadLeft(3))
              .Append(" ] = ").Append(PythonFormat.Fixed(stats[i], 3)).Append('\n');
        }
        return sb.ToString();
    }

    /// <summary>Mean precision over IoU thresholds (or the one equal to <paramref name="iou"/>), recall thresholds and classes.</summary>
    public static double MeanPrecision(CocoAccumulation acc, double? iou, string area, int maxDets)
    {
        var p = acc.Parameters;
        int a = AreaIndex(p, area), m = Array.IndexOf(p.MaxDets, maxDets);
        if (a < 0 || m < 0) return -1;
        var (t0, t1) = IouRange(p, iou);
        var values = new List<double>((t1 - t0) * p.R * acc.K);
        for (int t = t0; t < t1; t++)
            for (int r = 0; r < p.R; r++)
                for (int k = 0; k < acc.K; k++)
                {
                    double v = acc.Precision[acc.PrecisionIndex(t, r, k, a, m)];
                    if (v > -1) values.Add(v);
                }
        return values.Count == 0 ? -1 : NumpyMean.Mean(System.Runtime.InteropServices.CollectionsMarshal.AsSpan(values));
    }

    /// <summary>Mean final recall over IoU thresholds and classes.</summary>
    public static double MeanRecall(CocoAccumulation acc, double? iou, string area, int maxDets)
    {
        var p = acc.Parameters;
        int a = AreaIndex(p, area), m = Array.IndexOf(p.MaxDets, maxDets);
        if (a < 0 || m < 0) return -1;
        var (t0, t1) = IouRange(p, iou);
        var values = new List<double>((t1 - t0) * acc.K);
        for (int t = t0; t < t1; t++)
            for (int k = 0; k < acc.K; k++)
            {
                double v = acc.Recall[acc.RecallIndex(t, k, a, m)];
                if (v > -1) values.Add(v);
            }
        return values.Count == 0 ? -1 : NumpyMean.Mean(System.Runtime.InteropServices.CollectionsMarshal.AsSpan(values));
    }

    private static int AreaIndex(CocoParameters p, string label) => Array.FindIndex(p.AreaRanges, r => r.Label == label);

    /// <summary>All thresholds, or the single one equal to <paramref name="iou"/> (none when no threshold equals it).</summary>
    private static (int From, int To) IouRange(CocoParameters p, double? iou)
    {
        if (iou is not { } v) return (0, p.T);
        int t = p.IndexOfIou(v);
        return t < 0 ? (0, 0) : (t, t + 1);
    }
}
