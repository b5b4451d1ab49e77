namespace NanoDet.Evaluators.Tests;

public class ClassAgnosticTests
{
    private static readonly double[] Corners = [10, 10, 10, 30, 40, 30, 40, 10];
    private static readonly double[] CornersOff = [13, 14, 10, 30, 40, 30, 40, 10]; // TL off by 5 px

    /// <summary>Two images, each with one object of class "a"; the detections are well placed but labelled "b".</summary>
    private static CocoCase WrongClassCase() => new CocoCase().Category(1, "a").Category(2, "b").Images(1, 2)
        .Gt(1, 10, 10, 30, 20, category: 1, points: Corners)
        .Gt(2, 10, 10, 30, 20, category: 1, points: Corners)
        .Det(1, 10, 10, 30, 20, 0.9, category: 2, points: Corners)
        .Det(2, 10, 10, 30, 20, 0.8, category: 2, points: CornersOff);

    [Fact]
    public void Pooled_classes_match_detections_of_another_class()
    {
        var byClass = WrongClassCase().Evaluate();
        Assert.Equal(0, byClass.Metrics["AP_50"]);
        Assert.Equal(0, byClass.Metrics["corner_matches"]);

        var pooled = WrongClassCase().Evaluate(options: new CocoDetectionEvaluatorOptions { ClassAgnostic = true });
        Assert.Equal(1, pooled.Metrics["AP_50"], 6);
        Assert.Equal(1, pooled.Metrics["recall"], 6);
        Assert.Equal(2, pooled.Metrics["corner_matches"]);
        // 8 corners, one of them 5 px off.
        Assert.Equal(5.0 / 8, pooled.Metrics["corner_error_mean_px"], 6);
        Assert.Contains("class-agnostic", pooled.Text, StringComparison.Ordinal);
        var row = Assert.Single(pooled.PerClass);
        Assert.Equal("any class", row.Name);
    }
}
