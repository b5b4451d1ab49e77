using NanoDet.Abstractions.Data;
using NanoDet.Abstractions.Evaluation;
using NanoDet.Abstractions.Model;
using NanoDet.Evaluators;
using NanoDet.Host.Training;
using NanoDet.Inference.Detections;
using NanoDet.Inference.Errors;
using NanoDet.Inference.Geometry;
using NanoDet.Training;

namespace NanoDet.Host.Tests.Training;

/// <summary>The training summary shows the metrics the evaluator really reports, corner error included.</summary>
public class TrainingSummaryMetricsTests
{
    [Fact]
    public void Summary_shows_the_evaluators_mean_corner_error()
    {
        // One plate [10,10,50,30] and one detection of it whose corners are each 2 px right of the truth:
        // box IoU 1, so the pair matches and the mean corner error is exactly 2 px.
        static Quad Corners(float dx) => new(new(10 + dx, 10), new(10 + dx, 30), new(50 + dx, 30), new(50 + dx, 10));
        var image = new ImageRecord(1, "a.png", "a.png", 64, 64, [new Annotation(0, new Box(10, 10, 50, 30), Corners(0))]);
        var input = new EvaluationInput(ClassTable.FromNames(["plate"]), [image],
            [new ImageDetection(1, new Detection(0, new Box(10, 10, 50, 30), 0.9f, Corners(2)))]);
        var metrics = new CocoDetectionEvaluator().Evaluate(input, outputDirectory: null).Metrics;

        var shown = TrainingSummaryMetrics.Select(metrics, saveKey: "mAP").ToDictionary();

        var corner = Assert.Single(shown, kv => kv.Key.StartsWith("corner_error_mean", StringComparison.Ordinal));
        Assert.Equal(2.0, corner.Value, 6);
        Assert.Equal(metrics["mAP"], shown["mAP"]);
        Assert.Contains("quad_mAP", shown.Keys);
    }

    [Fact]
    public void Summary_always_shows_the_save_key()
    {
        var metrics = new Dictionary<string, double> { ["AR_100"] = 0.5, ["AP_small"] = 0.1 };

        var shown = TrainingSummaryMetrics.Select(metrics, saveKey: "AR_100").ToDictionary();

        Assert.Equal(0.5, Assert.Single(shown).Value);
    }
}
