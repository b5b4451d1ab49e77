using System.Text;
using NanoDet.Abstractions.Evaluation;
using NanoDet.Evaluators.Numerics;

namespace NanoDet.Evaluators.Classification;

/// <summary>
/// Precision, recall and F1 as reported: per class (see <see cref="ClassScoreCalculator"/>) and as metrics, each
/// the mean over classes with ground truth: <c>precision</c>, <c>recall</c>, <c>f1</c> at the configured score
/// threshold and <c>best_f1</c> (each class at its own F1-maximising threshold). Also the confusion matrix.
/// </summary>
internal sealed record ScoresSection(IReadOnlyList<ClassScores> PerClass, ConfusionMatrix Confusion, double Iou, double ScoreThreshold)
{
    public static IReadOnlyList<string> MetricNames { get; } = ["precision", "recall", "f1", "best_f1"];

    public void AddTo(IDictionary<string, double> metrics)
    {
        var withGt = PerClass.Where(c => c.GroundTruth > 0).ToArray();
        double Mean(Func<ClassScores, double> f) => withGt.Length == 0 ? 0 : withGt.Average(f);
        metrics["precision"] = Mean(c => c.Precision);
        metrics["recall"] = Mean(c => c.Recall);
        metrics["f1"] = Mean(c => c.F1);
        metrics["best_f1"] = Mean(c => c.BestF1);
    }

    public void AppendTo(StringBuilder sb)
    {
        sb.Append("precision / recall / F1 (box IoU >= ").Append(F(Iou, 2)).Append(", one-to-one by score; at the F1-maximising score and at score >= ")
          .Append(F(ScoreThreshold, 2)).Append("):\n");
        int w = Math.Max(5, PerClass.Count == 0 ? 5 : PerClass.Max(c => c.Name.Length));
        sb.Append("  ").Append("class".PadRight(w)).Append("     GT | best F1  score      P      R |     P      R     F1\n");
        foreach (var c in PerClass)
        {
            sb.Append("  ").Append(c.Name.PadRight(w)).Append(' ').Append(c.GroundTruth.ToString(System.Globalization.CultureInfo.InvariantCulture).PadLeft(6)).Append(" | ")
              .Append(N(c.BestF1).PadLeft(7)).Append(' ').Append(N(c.BestThreshold).PadLeft(6)).Append(' ')
              .Append(N(c.BestPrecision).PadLeft(6)).Append(' ').Append(N(c.BestRecall).PadLeft(6)).Append(" | ")
              .Append(N(c.Precision).PadLeft(5)).Append(' ').Append(N(c.Recall).PadLeft(6)).Append(' ').Append(N(c.F1).PadLeft(6)).Append('\n');
        }
        sb.Append("confusion matrix (rows predicted, columns true; score >= ").Append(F(ScoreThreshold, 2)).Append(", IoU >= ").Append(F(Iou, 2)).Append("):\n");
        var labels = Confusion.Labels;
        int lw = Math.Max(4, labels.Max(l => l.Length));
        sb.Append("  ").Append(new string(' ', lw));
        foreach (var l in labels) sb.Append(' ').Append(Short(l).PadLeft(5));
        sb.Append('\n');
        for (int p = 0; p < labels.Count; p++)
        {
            sb.Append("  ").Append(labels[p].PadRight(lw));
            foreach (var v in Confusion.Counts[p]) sb.Append(' ').Append(v.ToString(System.Globalization.CultureInfo.InvariantCulture).PadLeft(5));
            sb.Append('\n');
        }
    }

    private static string Short(string label) => label == ConfusionMatrixBuilder.Background ? "bg" : label.Length > 5 ? label[..5] : label;

    private static string N(double v) => double.IsNaN(v) ? "-" : PythonFormat.Fixed(v, 3);

    private static string F(double v, int decimals) => PythonFormat.Fixed(v, decimals);
}
