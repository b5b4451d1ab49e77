namespace NanoDet.Abstractions.Evaluation;

/// <summary>
/// Per-class precision, recall and F1 of the detections matched one-to-one to ground truth (box IoU at the
/// evaluator's threshold, greedily by score): at the score threshold that maximises this class's F1, and at the
/// configured score threshold. NaN where undefined (no ground truth: recall and F1; no detection: the best threshold).
/// </summary>
/// <param name="Name">Class name.</param>
/// <param name="GroundTruth">Non-crowd ground-truth objects of the class.</param>
/// <param name="BestF1">Highest F1 over all score thresholds.</param>
/// <param name="BestThreshold">The score threshold giving <paramref name="BestF1"/> (the highest such).</param>
/// <param name="BestPrecision">Precision at <paramref name="BestThreshold"/>.</param>
/// <param name="BestRecall">Recall at <paramref name="BestThreshold"/>.</param>
/// <param name="Precision">Precision at the configured threshold (0 when no detection passes it).</param>
/// <param name="Recall">Recall at the configured threshold.</param>
/// <param name="F1">F1 at the configured threshold.</param>
public sealed record ClassScores(string Name, int GroundTruth, double BestF1, double BestThreshold, double BestPrecision, double BestRecall,
    double Precision, double Recall, double F1);
