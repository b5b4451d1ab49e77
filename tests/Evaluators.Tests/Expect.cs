namespace NanoDet.Evaluators.Tests;

internal static class Expect
{
    /// <summary>Equal within 1e-12 (hand-derived fractions vs. the double arithmetic, e.g. 1/(1 + 2^-52)).</summary>
    public static void Close(double expected, double actual, string? what = null)
    {
        if (double.IsNaN(expected) && double.IsNaN(actual)) return;
        Assert.True(Math.Abs(expected - actual) <= 1e-12, $"{what}: expected {expected:R}, got {actual:R}");
    }

    /// <summary>The 12 COCO stats in order mAP, AP_50, AP_75, AP_small, AP_m, AP_l, AR_1, AR_10, AR_100, AR_small, AR_m, AR_l.</summary>
    public static void Stats(IReadOnlyDictionary<string, double> metrics, params double[] expected)
    {
        Assert.Equal(12, expected.Length);
        for (int i = 0; i < 12; i++)
        {
            var name = CocoDetectionEvaluator.CocoStatNames[i];
            Close(expected[i], metrics[name], name);
        }
    }
}
