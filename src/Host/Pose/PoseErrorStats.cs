namespace NanoDet.Host.Pose;

/// <summary>Mean, median and 90th percentile of one error over a set of plates (NaN when empty).</summary>
internal sealed record PoseErrorStats(double Mean, double Median, double P90)
{
    public static PoseErrorStats Of(IEnumerable<double> values)
    {
        var v = values.ToArray();
        if (v.Length == 0) return new(double.NaN, double.NaN, double.NaN);
        Array.Sort(v);
        return new(v.Average(), Percentile(v, 0.5), Percentile(v, 0.9));
    }

    /// <summary>Linear interpolation between closest ranks (numpy's default) of a sorted array.</summary>
    public static double Percentile(double[] sorted, double q)
    {
        double pos = q * (sorted.Length - 1);
        int lo = (int)Math.Floor(pos), hi = Math.Min(sorted.Length - 1, lo + 1);
        return sorted[lo] + (pos - lo) * (sorted[hi] - sorted[lo]);
    }
}
