using System.Text.Json;

namespace NanoDet.Evaluators.Tests;

/// <summary>Per-class precision / recall / F1 and the confusion matrix on a case checked by hand.</summary>
public class ScoresAndConfusionTests
{
    /// <summary>
    /// Classes a (1) and b (2). Image 1: objects a@A and b@B; detections a@A 0.9, b@A 0.8 (right place, wrong
    /// class), b@B 0.3. Image 2: object a@C and a crowd region of a; detections a elsewhere 0.6, a inside the
    /// crowd region 0.5.
    /// </summary>
    private static CocoCase Case() => new CocoCase().Category(1, "a").Category(2, "b").Images(1, 2)
        .Gt(1, 0, 0, 50, 50, category: 1).Gt(1, 100, 100, 50, 50, category: 2)
        .Det(1, 0, 0, 50, 50, 0.9, category: 1).Det(1, 0, 0, 50, 50, 0.8, category: 2).Det(1, 100, 100, 50, 50, 0.3, category: 2)
        .Gt(2, 0, 0, 50, 50, category: 1).Gt(2, 300, 300, 100, 100, category: 1, crowd: true)
        .Det(2, 200, 0, 50, 50, 0.6, category: 1).Det(2, 320, 320, 40, 40, 0.5, category: 1);

    [Fact]
    public void Precision_recall_and_f1_at_the_best_and_the_configured_score()
    {
        var r = Case().Evaluate(options: new CocoDetectionEvaluatorOptions { ScoreThreshold = 0.35 });
        var a = r.Scores![0];
        var b = r.Scores[1];
        // a: 0.9 TP, 0.6 FP, 0.5 ignored (crowd); 2 objects. At 0.9: P 1, R 0.5, F1 2/3 (best); at 0.6: 0.5, 0.5, 0.5.
        Assert.Equal(2, a.GroundTruth);
        Expect.Close(2 / 3.0, a.BestF1);
        Expect.Close(0.9, a.BestThreshold);
        Expect.Close(1, a.BestPrecision);
        Expect.Close(0.5, a.BestRecall);
        Expect.Close(0.5, a.Precision);
        Expect.Close(0.5, a.Recall);
        Expect.Close(0.5, a.F1);
        // b: 0.8 FP, 0.3 TP; 1 object. At 0.8: all 0; at 0.3: P 0.5, R 1, F1 2/3 (best). At ≥ 0.35 only the FP.
        Expect.Close(2 / 3.0, b.BestF1);
        Expect.Close(0.3, b.BestThreshold);
        Expect.Close(0.5, b.BestPrecision);
        Expect.Close(1, b.BestRecall);
        Expect.Close(0, b.Precision);
        Expect.Close(0, b.Recall);
        Expect.Close(0, b.F1);
        Expect.Close(0.25, r.Metrics["precision"]);
        Expect.Close(0.25, r.Metrics["recall"]);
        Expect.Close(0.25, r.Metrics["f1"]);
        Expect.Close(2 / 3.0, r.Metrics["best_f1"]);

        // the configured threshold moves only the "at" columns: at 0.25 b's TP counts
        var low = Case().Evaluate(options: new CocoDetectionEvaluatorOptions { ScoreThreshold = 0.25 }).Scores![1];
        Expect.Close(0.5, low.Precision);
        Expect.Close(1, low.Recall);
    }

    [Fact]
    public void Confusion_matrix_counts_wrong_classes_misses_and_false_alarms()
    {
        var dir = TempDir.Create("confusion");
        var r = Case().Evaluate(plots: dir);
        // score ≥ 0.35: image 1: a@A ↔ object a (IoU 1, earlier in score order wins the tie), b@A unmatched → [b, bg],
        // object b missed → [bg, b]; image 2: a elsewhere → [a, bg], a inside the crowd region left out, object a@C
        // missed → [bg, a].
        int[][] expected = [[1, 0, 1], [0, 0, 1], [1, 1, 0]];
        Assert.Equal(["a", "b", "background"], r.Confusion!.Labels);
        Assert.Equal(expected, r.Confusion.Counts);
        Assert.Contains(r.Files, f => f.EndsWith("confusion_matrix.png", StringComparison.Ordinal) && new FileInfo(f).Length > 1000);
        using var json = JsonDocument.Parse(File.ReadAllText(Path.Combine(dir, "confusion_matrix.json")));
        Assert.Equal("predicted", json.RootElement.GetProperty("rows").GetString());
        Assert.Equal(expected, json.RootElement.GetProperty("counts").EnumerateArray()
            .Select(row => row.EnumerateArray().Select(v => v.GetInt32()).ToArray()).ToArray());
        Assert.Contains("confusion matrix (rows predicted, columns true", r.Text);
    }

    [Fact]
    public void Every_new_metric_can_be_the_save_key()
    {
        foreach (var key in new[] { "kpt_mAP", "kpt_AP_50", "kpt_AP_75", "precision", "recall", "f1", "best_f1" })
            Assert.Empty(new CocoDetectionEvaluatorOptions { SaveKey = key }.Validate(new(new object())));
        Assert.NotEmpty(new CocoDetectionEvaluatorOptions { KptOksSigmas = [0.05, 0.05, 0.05] }.Validate(new(new object())));
    }
}
