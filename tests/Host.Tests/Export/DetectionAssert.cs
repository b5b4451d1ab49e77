using NanoDet.Abstractions.Model;
using NanoDet.Inference.Detections;
using NanoDet.Inference.Errors;
using NanoDet.Inference.Geometry;

namespace NanoDet.Host.Tests.Export;

/// <summary>Detections equal in order, label and score, boxes and corners within a pixel tolerance.</summary>
internal static class DetectionAssert
{
    public static void Equal(IReadOnlyList<Detection> expected, IReadOnlyList<Detection> actual, double pixels, double score = 1e-4)
    {
        Assert.Equal(expected.Count, actual.Count);
        for (int i = 0; i < expected.Count; i++)
        {
            var (e, a) = (expected[i], actual[i]);
            Assert.Equal(e.Label, a.Label);
            Assert.True(Math.Abs(e.Score - a.Score) <= score, $"detection {i}: score {a.Score} vs {e.Score}");
            float[] eb = [e.Box.X1, e.Box.Y1, e.Box.X2, e.Box.Y2], ab = [a.Box.X1, a.Box.Y1, a.Box.X2, a.Box.Y2];
            for (int j = 0; j < 4; j++) Assert.True(Math.Abs(eb[j] - ab[j]) <= pixels, $"detection {i}: box {j} {ab[j]} vs {eb[j]}");
            Assert.Equal(e.Points is null, a.Points is null);
            if (e.Points is { } ep && a.Points is { } ap)
            {
                var (x, y) = (ep.ToArray(), ap.ToArray());
                for (int j = 0; j < 8; j++) Assert.True(Math.Abs(x[j] - y[j]) <= pixels, $"detection {i}: corner value {j} {y[j]} vs {x[j]}");
            }
        }
    }
}
