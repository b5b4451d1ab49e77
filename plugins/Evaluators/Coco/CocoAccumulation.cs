namespace NanoDet.Evaluators.Coco;

/// <summary>
/// COCOeval's <c>eval</c> after <c>accumulate()</c>: precision[T, R, K, A, M] and recall[T, K, A, M], row-major
/// like the numpy arrays, −1 where a (class, area range) has no non-ignored ground truth.
/// </summary>
internal sealed class CocoAccumulation
{
    public CocoAccumulation(CocoParameters parameters, int classCount, double[] precision, double[] recall, int[] groundTruthCounts, int detectionCount)
    {
        Parameters = parameters;
        K = classCount;
        Precision = precision;
        Recall = recall;
        GroundTruthCounts = groundTruthCounts;
        DetectionCount = detectionCount;
    }

    public CocoParameters Parameters { get; }
    public int K { get; }

    /// <summary>[T, R, K, A, M] flattened row-major.</summary>
    public double[] Precision { get; }

    /// <summary>[T, K, A, M] flattened row-major.</summary>
    public double[] Recall { get; }

    /// <summary>[K, A]: non-ignored ground truth per class and area range.</summary>
    public int[] GroundTruthCounts { get; }

    /// <summary>Detections in the input (before the per-image cap).</summary>
    public int DetectionCount { get; }

    public int PrecisionIndex(int t, int r, int k, int a, int m)
    {
        var p = Parameters;
        return (((t * p.R + r) * K + k) * p.A + a) * p.M + m;
    }

    public int RecallIndex(int t, int k, int a, int m)
    {
        var p = Parameters;
        return ((t * K + k) * p.A + a) * p.M + m;
    }
}
