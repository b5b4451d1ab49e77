using NanoDet.Inference.PostProcessing;

namespace NanoDet.Inference.Tests.PostProcessing;

public class ClassAwareNmsTests
{
    /// <summary>Textbook greedy NMS over all pairs with the reference's class offset; the spec the fast version must match.</summary>
    private static List<int> Naive(float[] boxes, float[] scores, int[] labels, float thr, int max)
    {
        int n = scores.Length;
        float offset = boxes.Max() + 1;
        var shifted = new float[boxes.Length];
        for (int i = 0; i < n; i++)
            for (int j = 0; j < 4; j++) shifted[4 * i + j] = boxes[4 * i + j] + labels[i] * offset;
        var order = Enumerable.Range(0, n).OrderByDescending(i => scores[i]).ToList(); // LINQ OrderBy is stable
        var removed = new bool[n];
        var keep = new List<int>();
        foreach (var i in order)
        {
            if (removed[i]) continue;
            keep.Add(i);
            foreach (var j in order)
                if (!removed[j] && j != i && ClassAwareNms.Iou(shifted, i, j) > thr) removed[j] = true;
        }
        return keep.Take(max).ToList();
    }

    [Theory]
    [InlineData(1, 300, 100)]
    [InlineData(2, 2000, 100)]
    [InlineData(3, 500, 5)]
    public void Matches_textbook_greedy_nms_with_class_offsets(int seed, int n, int max)
    {
        var rng = new Random(seed);
        var boxes = new float[4 * n];
        var scores = new float[n];
        var labels = new int[n];
        for (int i = 0; i < n; i++)
        {
            float x = rng.Next(0, 60), y = rng.Next(0, 60), w = rng.Next(1, 30), h = rng.Next(1, 30);
            boxes[4 * i] = x; boxes[4 * i + 1] = y; boxes[4 * i + 2] = x + w; boxes[4 * i + 3] = y + h;
            scores[i] = rng.Next(0, 50) / 50f;      // many ties on purpose
            labels[i] = rng.Next(0, 3);
        }
        Assert.Equal(Naive(boxes, scores, labels, 0.6f, max), ClassAwareNms.Run(boxes, scores, labels, 0.6f, max));
    }

    [Fact]
    public void Iou_has_no_plus_one()
    {
        float[] b = [0, 0, 10, 10, 5, 5, 15, 20];
        // Intersection 5×5 = 25, union 100 + 150 − 25 = 225.
        Assert.Equal(25f / 225f, ClassAwareNms.Iou(b, 0, 1), 6);
    }
}
