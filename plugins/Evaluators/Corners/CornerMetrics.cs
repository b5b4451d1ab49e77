namespace NanoDet.Evaluators.Corners;

/// <summary>
/// Corner accuracy of matched detections (see <see cref="CornerMatcher"/> for the matching).
/// Pair error e = mean over the 4 corners (TL, BL, BR, TR, no reordering) of the Euclidean distance between
/// the detected and the true corner, in pixels; normalised error = e / diagonal of the ground-truth box.
/// PCK@τ = fraction of the 4·pairs corners whose distance is ≤ τ pixels.
/// </summary>
/// <param name="Pairs">Matched pairs where both sides have corners (the pairs measured).</param>
/// <param name="SkippedPairs">Matched pairs left out because the detection or the ground truth has no corners.</param>
/// <param name="DetectionsWithoutPoints">Detections in the input without corners.</param>
/// <param name="GroundTruthWithoutPoints">Non-crowd ground-truth objects without corners.</param>
/// <param name="CornerDistances">Per-corner distances, 4 per pair in pair order (for the histogram).</param>
/// <param name="PairErrors">e per pair.</param>
/// <param name="NormalizedErrors">e / GT diagonal per pair.</param>
internal sealed record CornerMetrics(
    int Pairs, int SkippedPairs, int DetectionsWithoutPoints, int GroundTruthWithoutPoints,
    double[] CornerDistances, double[] PairErrors, double[] NormalizedErrors)
{
    public double MeanPx => Mean(PairErrors);
    public double MedianPx => Median(PairErrors);

    /// <summary>90th percentile of the pair errors (nearest rank: the ceil(0.9 n)-th smallest), pixels.</summary>
    public double P90Px => NearestRank(PairErrors, 0.9);
    public double MeanNormalized => Mean(NormalizedErrors);
    public double MedianNormalized => Median(NormalizedErrors);

    /// <summary>Fraction of corners within <paramref name="pixels"/> (NaN when nothing was measured).</summary>
    public double Pck(double pixels) =>
        CornerDistances.Length == 0 ? double.NaN : CornerDistances.Count(d => d <= pixels) / (double)CornerDistances.Length;

    /// <summary>Mean distance of corner k (0 = TL, 1 = BL, 2 = BR, 3 = TR).</summary>
    public double MeanOfCorner(int k)
    {
        if (Pairs == 0) return double.NaN;
        double s = 0;
        for (int i = k; i < CornerDistances.Length; i += 4) s += CornerDistances[i];
        return s / Pairs;
    }

    private static double Mean(double[] v)
    {
        if (v.Length == 0) return double.NaN;
        double s = 0;
        foreach (var x in v) s += x;
        return s / v.Length;
    }

    private static double NearestRank(double[] v, double q)
    {
        if (v.Length == 0) return double.NaN;
        var s = (double[])v.Clone();
        Array.Sort(s);
        return s[Math.Clamp((int)Math.Ceiling(q * s.Length) - 1, 0, s.Length - 1)];
    }

    /// <summary>Middle value, or the mean of the two middle values for an even count.</summary>
    private static double Median(double[] v)
    {
        if (v.Length == 0) return double.NaN;
        var s = (double[])v.Clone();
        Array.Sort(s);
        int n = s.Length;
        return n % 2 == 1 ? s[n / 2] : (s[n / 2 - 1] + s[n / 2]) / 2;
    }
}
