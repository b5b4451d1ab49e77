using NanoDet.Evaluators.Corners;

namespace NanoDet.Evaluators.Reporting;

/// <summary>Corner metrics and quadrilateral AP as reported (metric names and values).</summary>
internal sealed record CornerSection(CornerMetrics Metrics, double QuadMap, double QuadAp50, double MatchIou)
{
    public void AddTo(IDictionary<string, double> metrics)
    {
        metrics["quad_mAP"] = QuadMap;
        metrics["quad_AP_50"] = QuadAp50;
        metrics["corner_matches"] = Metrics.Pairs;
        metrics["corner_skipped_pairs"] = Metrics.SkippedPairs;
        metrics["corner_error_mean_px"] = Metrics.MeanPx;
        metrics["corner_error_median_px"] = Metrics.MedianPx;
        metrics["corner_error_p90_px"] = Metrics.P90Px;
        metrics["corner_error_mean_norm"] = Metrics.MeanNormalized;
        metrics["corner_error_median_norm"] = Metrics.MedianNormalized;
        metrics["corner_pck_2px"] = Metrics.Pck(2);
        metrics["corner_pck_5px"] = Metrics.Pck(5);
    }
}
