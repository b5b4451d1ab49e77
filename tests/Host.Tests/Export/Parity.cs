namespace NanoDet.Host.Tests.Export;

/// <summary>The parity measure (docs/reference.md#parity-bounds) between two [.., K] outputs whose first C channels are class scores.</summary>
internal static class Parity
{
    /// <summary>Max |a − b| over class channels, and max |a − b| / (1 + |a|) over the other channels.</summary>
    public static (double Score, double Logit) MaxErrors(float[] expected, float[] actual, int channels, int classes)
    {
        Assert.Equal(expected.Length, actual.Length);
        double score = 0, logit = 0;
        for (int i = 0; i < expected.Length; i++)
        {
            double d = Math.Abs(expected[i] - actual[i]);
            if (double.IsNaN(d)) d = double.PositiveInfinity;
            if (i % channels < classes) score = Math.Max(score, d);
            else logit = Math.Max(logit, d / (1 + Math.Abs(expected[i])));
        }
        return (score, logit);
    }
}
