namespace NanoDet.Evaluators.Coco;

/// <summary>
/// Score order with numpy's <c>argsort(-scores, kind='mergesort')</c> semantics: descending, ties keep their
/// input order. Implemented as an unstable sort on (score descending, index ascending), which has the same result.
/// </summary>
internal static class ScoreOrder
{
    /// <summary>Fills <paramref name="order"/> with 0..n-1 sorted by <paramref name="scores"/> descending, stable.</summary>
    public static void Descending(ReadOnlySpan<double> scores, Span<int> order, double[] scratch)
    {
        int n = scores.Length;
        for (int i = 0; i < n; i++) order[i] = i;
        if (n < 2) return;
        scores.CopyTo(scratch);
        order.Sort(new Comparer(scratch));
    }

    /// <summary>Stable descending order of <paramref name="scores"/>.</summary>
    public static int[] Descending(double[] scores)
    {
        var order = new int[scores.Length];
        for (int i = 0; i < order.Length; i++) order[i] = i;
        order.AsSpan().Sort(new Comparer(scores));
        return order;
    }

    private readonly struct Comparer(double[] scores) : IComparer<int>
    {
        public int Compare(int a, int b)
        {
            double sa = scores[a], sb = scores[b];
            if (sa > sb) return -1;
            if (sa < sb) return 1;
            return a.CompareTo(b);
        }
    }
}
