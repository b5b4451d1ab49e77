namespace NanoDet.Abstractions.Evaluation;

/// <summary>Per-class AP as fractions (NaN when the class has no ground truth).</summary>
public sealed record ClassMetrics(string Name, double Ap50, double Map);
