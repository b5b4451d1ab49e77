namespace NanoDet.Evaluators.Coco;

/// <summary>COCOeval's parameters (pycocotools <c>Params.setDetParams</c>).</summary>
internal sealed class CocoParameters
{
    private CocoParameters(double[] iouThresholds, double[] recallThresholds, AreaRange[] areaRanges, int[] maxDets)
    {
        IouThresholds = iouThresholds;
        RecallThresholds = recallThresholds;
        AreaRanges = areaRanges;
        MaxDets = maxDets;
    }

    /// <summary>0.50, 0.55, …, 0.95, bit-identical to numpy's <c>linspace(.5, .95, 10)</c> (0.9 is 0.8999999999999999).</summary>
    public double[] IouThresholds { get; }

    /// <summary>0.00, 0.01, …, 1.00 as numpy's <c>linspace(0, 1, 101)</c>.</summary>
    public double[] RecallThresholds { get; }

    public AreaRange[] AreaRanges { get; }

    /// <summary>Ascending; the last one is the per-image cap used while matching.</summary>
    public int[] MaxDets { get; }

    public int T => IouThresholds.Length;
    public int R => RecallThresholds.Length;
    public int A => AreaRanges.Length;
    public int M => MaxDets.Length;

    /// <summary>The bbox parameters: 4 area ranges (all, small, medium, large) and maxDets 1, 10, 100.</summary>
    public static CocoParameters Bbox() => new(
        Linspace(0.5, 0.95, 10), Linspace(0.0, 1.0, 101),
        [
            new("all", 0, 1e10),
            new("small", 0, 1024),
            new("medium", 1024, 9216),
            new("large", 9216, 1e10),
        ],
        [1, 10, 100]);

    /// <summary>pycocotools' keypoint parameters (<c>setKpParams</c>): areas all, medium, large and maxDets 20.</summary>
    public static CocoParameters Keypoints() => new(
        Linspace(0.5, 0.95, 10), Linspace(0.0, 1.0, 101),
        [
            new("all", 0, 1e10),
            new("medium", 1024, 9216),
            new("large", 9216, 1e10),
        ],
        [20]);

    /// <summary>Area "all" and maxDets 100 only: what the quadrilateral AP reports.</summary>
    public static CocoParameters AllAreasMaxDets100() => new(
        Linspace(0.5, 0.95, 10), Linspace(0.0, 1.0, 101), [new("all", 0, 1e10)], [100]);

    /// <summary>numpy's <c>linspace(start, stop, num)</c>: start + i·((stop − start)/(num − 1)), last element = stop.</summary>
    public static double[] Linspace(double start, double stop, int num)
    {
        var y = new double[num];
        double step = (stop - start) / (num - 1);
        for (int i = 0; i < num; i++) y[i] = i * step + start;
        y[^1] = stop;
        return y;
    }

    /// <summary>Index of the threshold equal to <paramref name="iou"/> (numpy's <c>where(iouThr == iouThrs)</c>), or -1.</summary>
    public int IndexOfIou(double iou) => Array.IndexOf(IouThresholds, iou);
}
