namespace NanoDet.Abstractions.Evaluation;

/// <summary>Result of an evaluation.</summary>
/// <param name="Metrics">Named values as fractions: <c>mAP</c>, <c>AP_50</c>, <c>AP_75</c>, <c>AP_small</c>, <c>AP_m</c>, <c>AP_l</c>, <c>AR_1</c>, ... and corner metrics.</param>
/// <param name="PerClass">Per-class AP table.</param>
/// <param name="Text">The printable report (COCO summary lines, per-class table, corner metrics).</param>
/// <param name="Files">Files written (plots).</param>
/// <param name="Scores">Per-class precision, recall and F1 (null when the evaluator does not compute them).</param>
/// <param name="Confusion">Confusion matrix with background (null when not computed).</param>
public sealed record EvaluationReport(
    IReadOnlyDictionary<string, double> Metrics,
    IReadOnlyList<ClassMetrics> PerClass,
    string Text,
    IReadOnlyList<string> Files,
    IReadOnlyList<ClassScores>? Scores = null,
    ConfusionMatrix? Confusion = null);
