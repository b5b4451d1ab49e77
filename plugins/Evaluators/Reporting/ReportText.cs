using System.Globalization;
using System.Text;
using NanoDet.Abstractions.Evaluation;
using NanoDet.Evaluators.Coco;
using NanoDet.Evaluators.Numerics;

namespace NanoDet.Evaluators.Reporting;

/// <summary>The printable report: notes, pycocotools' 12 summary lines, NanoDet's per-class table, corner metrics.</summary>
internal static class ReportText
{
    public static string Build(EvalDataset data, double[] stats, bool noDetections, IReadOnlyList<ClassMetrics> perClass, CornerSection? corners)
    {
        var sb = new StringBuilder();
        foreach (var note in data.Notes) sb.Append("note: ").Append(note).Append('\n');
        if (noDetections) sb.Append("no detections at all: every metric is 0 (NanoDet's convention; COCOeval is not run)\n");
        sb.Append(CocoSummary.Text(stats));
        sb.Append('\n');
        sb.Append(PerClassTable.Format(perClass));
        sb.Append('\n');
        if (corners is null)
        {
            sb.Append("corner metrics: not computed (no ground-truth object has corner points)\n");
            return sb.ToString();
        }
        var m = corners.Metrics;
        var c = CultureInfo.InvariantCulture;
        sb.Append("corner metrics (detections matched to ground truth of their class with box IoU >= ")
          .Append(corners.MatchIou.ToString("0.00", c)).Append(", greedily by score; crowd regions excluded):\n");
        sb.Append("  matched pairs measured: ").Append(m.Pairs)
          .Append(" (").Append(m.SkippedPairs).Append(" matched pairs skipped for lack of corners; ")
          .Append(m.DetectionsWithoutPoints).Append(" detections and ").Append(m.GroundTruthWithoutPoints)
          .Append(" non-crowd ground-truth objects have no corners)\n");
        if (m.Pairs > 0)
        {
            sb.Append("  corner error: mean ").Append(F(m.MeanPx, 3)).Append(" px, median ").Append(F(m.MedianPx, 3))
              .Append(" px, p90 ").Append(F(m.P90Px, 3))
              .Append(" px; / GT diagonal: mean ").Append(F(m.MeanNormalized, 4)).Append(", median ").Append(F(m.MedianNormalized, 4)).Append('\n');
            sb.Append("  mean error per corner (TL, BL, BR, TR): ")
              .Append(string.Join(", ", Enumerable.Range(0, 4).Select(k => F(m.MeanOfCorner(k), 3)))).Append(" px\n");
            sb.Append("  PCK@2px ").Append(F(m.Pck(2) * 100, 1)).Append("%, PCK@5px ").Append(F(m.Pck(5) * 100, 1)).Append("%\n");
        }
        sb.Append("  quadrilateral AP: quad_mAP ").Append(F(corners.QuadMap, 3)).Append(", quad_AP_50 ").Append(F(corners.QuadAp50, 3)).Append('\n');
        return sb.ToString();
    }

    private static string F(double v, int decimals) => PythonFormat.Fixed(v, decimals);
}
