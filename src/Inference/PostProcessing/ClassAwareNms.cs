namespace NanoDet.Inference.PostProcessing;

/// <summary>
/// Greedy class-aware NMS (docs/reference.md#post-processing step 3): candidates sorted by score descending with a STABLE sort (ties
/// keep candidate order), a candidate is suppressed when its IoU with an already kept box of the same class
/// is strictly above the threshold. Boxes of different classes never suppress each other, which is what the
/// reference's per-class coordinate offset achieves. Because the kept list is emitted in score order and
/// truncated to <c>maxKeep</c>, the scan stops once <c>maxKeep</c> boxes are kept: later candidates could
/// never enter the output, so the result is identical and the cost is bounded by candidates × maxKeep.
/// </summary>
internal static class ClassAwareNms
{
    /// <summary>Indices of kept candidates in descending score order.</summary>
    /// <param name="boxes">xyxy per candidate, 4 floats each.</param>
    /// <param name="scores">Score per candidate.</param>
    /// <param name="labels">Class per candidate.</param>
    /// <param name="iouThreshold">Suppression threshold (strict &gt;).</param>
    /// <param name="maxKeep">Stop after this many kept boxes.</param>
    public static List<int> Run(ReadOnlySpan<float> boxes, ReadOnlySpan<float> scores, ReadOnlySpan<int> labels,
        float iouThreshold, int maxKeep)
    {
        int n = scores.Length;
        var order = new int[n];
        for (int i = 0; i < n; i++) order[i] = i;
        // Array.Sort is unstable: the comparer breaks score ties by candidate index, which makes it stable.
        Array.Sort(order, Comparer(scores.ToArray()));

        var kept = new List<int>(Math.Min(maxKeep, n));
        var keptByClass = new Dictionary<int, List<int>>();
        foreach (var i in order)
        {
            if (kept.Count >= maxKeep) break;
            if (!keptByClass.TryGetValue(labels[i], out var same))
            {
                same = [];
                keptByClass[labels[i]] = same;
            }
            bool suppressed = false;
            foreach (var j in same)
            {
                if (Iou(boxes, i, j) > iouThreshold)
                {
                    suppressed = true;
                    break;
                }
            }
            if (suppressed) continue;
            same.Add(i);
            kept.Add(i);
        }
        return kept;
    }

    private static Comparer<int> Comparer(float[] scores) =>
        Comparer<int>.Create((a, b) =>
        {
            int c = scores[b].CompareTo(scores[a]);
            return c != 0 ? c : a.CompareTo(b);
        });

    /// <summary>IoU without the +1 convention; area = (x2 − x1)(y2 − y1).</summary>
    public static float Iou(ReadOnlySpan<float> boxes, int a, int b)
    {
        float ax1 = boxes[4 * a], ay1 = boxes[4 * a + 1], ax2 = boxes[4 * a + 2], ay2 = boxes[4 * a + 3];
        float bx1 = boxes[4 * b], by1 = boxes[4 * b + 1], bx2 = boxes[4 * b + 2], by2 = boxes[4 * b + 3];
        float iw = Math.Min(ax2, bx2) - Math.Max(ax1, bx1);
        float ih = Math.Min(ay2, by2) - Math.Max(ay1, by1);
        if (iw <= 0 || ih <= 0) return 0f;
        float inter = iw * ih;
        float union = (ax2 - ax1) * (ay2 - ay1) + (bx2 - bx1) * (by2 - by1) - inter;
        return union > 0 ? inter / union : 0f;
    }
}
