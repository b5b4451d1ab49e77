namespace NanoDet.Host.Training;

/// <summary>
/// Which validation metrics the end-of-training summary shows: the headline box and quad APs, the mean corner
/// error and the checkpoint-selection key. Names are the evaluator's metric names (docs/evaluation.md).
/// </summary>
internal static class TrainingSummaryMetrics
{
    private static readonly string[] Shown = ["mAP", "AP_50", "AP_75", "quad_mAP", "corner_error_mean_px"];

    /// <summary>The metrics of <paramref name="metrics"/> the summary shows, in the evaluator's order.</summary>
    /// <param name="metrics">One epoch's validation metrics.</param>
    /// <param name="saveKey">The metric that selects the best checkpoint (always shown when present).</param>
    public static IEnumerable<KeyValuePair<string, double>> Select(IReadOnlyDictionary<string, double> metrics, string saveKey) =>
        metrics.Where(kv => kv.Key == saveKey || Shown.Contains(kv.Key));
}
