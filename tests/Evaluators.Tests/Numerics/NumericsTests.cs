using NanoDet.Evaluators.Coco;
using NanoDet.Evaluators.Numerics;

namespace NanoDet.Evaluators.Tests;

/// <summary>The small numeric pieces that make the summary bit-identical to pycocotools (expected values printed by Python 3.11 / numpy 1.24).</summary>
public class NumericsTests
{
    [Theory]
    [InlineData(0.0625, 3, "0.062")] // exact tie: Python rounds half to even (.NET's F3 gives 0.063)
    [InlineData(0.0635, 3, "0.064")] // 0.0635 is stored as 0.06350000000000000144…: not a tie
    [InlineData(0.5, 0, "0")]
    [InlineData(1.5, 0, "2")]
    [InlineData(2.5, 0, "2")]
    [InlineData(-1.0, 3, "-1.000")]
    [InlineData(0.1234567, 3, "0.123")]
    [InlineData(52.05, 1, "52.0")] // stored as 52.04999…
    [InlineData(0.125, 2, "0.12")]
    [InlineData(0.0005, 3, "0.001")]
    [InlineData(-0.0001, 3, "-0.000")]
    [InlineData(1e22, 1, "10000000000000000000000.0")]
    [InlineData(83.41584158415841, 1, "83.4")]
    [InlineData(5e-324, 3, "0.000")]
    [InlineData(0.9995, 3, "1.000")]
    [InlineData(double.NaN, 1, "nan")]
    public void Fixed_formats_like_python(double value, int decimals, string expected) =>
        Assert.Equal(expected, PythonFormat.Fixed(value, decimals));

    [Fact]
    public void Mean_is_numpys_pairwise_mean()
    {
        // numpy: mean(i*0.1 for i < 200) = 9.95; a left-to-right sum gives 9.950000000000001.
        var a = Enumerable.Range(0, 200).Select(i => i * 0.1).ToArray();
        Assert.Equal(9.95, NumpyMean.Mean(a));
        // 20,000 values cross numpy's 8192-element buffer: numpy 166.5, left-to-right 166.50000000000006.
        var b = Enumerable.Range(0, 20000).Select(i => (i * 7919 % 1000) / 3.0).ToArray();
        Assert.Equal(166.5, NumpyMean.Mean(b));
        // 9 values: the 8-way unrolled block; numpy gives 1.1111111111111112.
        Assert.Equal(1.1111111111111112, NumpyMean.Mean([1e16, 1.0, -1e16, 3.0, 2.0, 1.0, 1.0, 1.0, 1.0]));
        Assert.True(double.IsNaN(NumpyMean.Mean([])));
    }

    [Fact]
    public void Thresholds_are_numpy_linspace_values()
    {
        var p = CocoParameters.Bbox();
        Assert.Equal(10, p.T);
        Assert.Equal(0.8999999999999999, p.IouThresholds[8]); // numpy's linspace(.5, .95, 10)[8]
        Assert.Equal(5, p.IndexOfIou(0.75));
        Assert.Equal(0, p.IndexOfIou(0.5));
        Assert.Equal(101, p.R);
        Assert.Equal(0.07, p.RecallThresholds[7]);
        Assert.Equal(1.0, p.RecallThresholds[100]);
        Assert.Equal([1, 10, 100], p.MaxDets);
        Assert.Equal(["all", "small", "medium", "large"], p.AreaRanges.Select(a => a.Label));
        Assert.False(p.AreaRanges[1].Excludes(1024));
        Assert.False(p.AreaRanges[2].Excludes(1024));
        Assert.True(p.AreaRanges[1].Excludes(Math.BitIncrement(1024.0)));
    }

    [Fact]
    public void Score_order_is_descending_and_stable()
    {
        double[] scores = [0.5, 0.9, 0.5, 0.7, 0.9, 0.5];
        Assert.Equal([1, 4, 3, 0, 2, 5], ScoreOrder.Descending(scores));
    }

    [Fact]
    public void Box_iou_matches_the_golden_pair_and_crowd_rule()
    {
        // docs/reference.md#golden-values: [0,0,10,10] vs [5,5,15,20] (xyxy) → IoU 0.111111: intersection 5x5 = 25, union 100 + 150 − 25 = 225.
        var d = new DetectionObject(0, 0, 0, 10, 10, 1, null);
        var g = new GroundTruthObject(0, 5, 5, 10, 15, 150, false, null);
        Assert.Equal(25.0 / 225, BoxOverlap.Iou(d, g, 150), 15);
        // As a crowd region the denominator is the detection's area: 25 / 100.
        Assert.Equal(0.25, BoxOverlap.Iou(d, g with { IsCrowd = true }, 150));
        // Touching boxes do not overlap.
        Assert.Equal(0, BoxOverlap.Iou(d, g with { X = 10 }, 150));
    }
}
