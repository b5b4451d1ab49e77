using NanoDet.Abstractions.Data;
using NanoDet.Abstractions.Geometry;
using NanoDet.Host.Datasets;
using NanoDet.Inference.Errors;
using NanoDet.Inference.Geometry;

namespace NanoDet.Host.Tests.Datasets;

/// <summary><c>data check</c>'s corner reach: unrepresentable corners per encoding and the candidate rule.</summary>
public class CornerReachTests
{
    private static readonly int[] Strides = [8, 16, 32, 64];

    private static PreparedSample Sample(params Annotation[] targets)
    {
        var record = new ImageRecord(1, "x.png", "/nowhere/x.png", 320, 256, targets);
        return new PreparedSample([], 320, 256, targets, WarpMatrix.Identity, record);
    }

    private static Annotation Plate(Quad q) => new(0, q.Bounds(), q);

    [Fact]
    public void A_rotated_plate_loses_corners_only_to_the_quadrant_encoding()
    {
        // 40° rotated 40×16 plate around (101, 99): the reference prior (stride 8, nearest the centre) is (104, 96);
        // the labelled TL corner lies below-right of it, outside its (−, −) quadrant.
        double a = 40 * Math.PI / 180;
        (float, float)[] local = [(-20, -8), (-20, 8), (20, 8), (20, -8)];
        var pts = local.Select(p => new PointF2((float)(101 + p.Item1 * Math.Cos(a) - p.Item2 * Math.Sin(a)),
            (float)(99 + p.Item1 * Math.Sin(a) + p.Item2 * Math.Cos(a)))).ToArray();
        var t = CornerReach.Check(Sample(Plate(new Quad(pts[0], pts[1], pts[2], pts[3]))), new CornerReachRule(Strides, 7, CornerEncoding.Signed, 0));
        Assert.Equal(1, t.Objects);
        Assert.Equal(1, t.ObjectsUnrepresentableQuadrant);
        Assert.True(t.CornersOutsideQuadrant >= 1);
        Assert.Equal(0, t.ObjectsUnrepresentableSigned);
        Assert.Equal(0, t.CornersUnrepresentableSigned);
    }

    [Fact]
    public void A_four_pixel_plate_has_a_candidate_only_under_the_tiny_plate_rule()
    {
        var tiny = Plate(new Quad(new(10, 10), new(10, 14), new(14, 14), new(14, 10)));
        var off = CornerReach.Check(Sample(tiny), new CornerReachRule(Strides, 7, CornerEncoding.Signed, 0));
        Assert.Equal(1, off.NoPrior);
        Assert.Contains("strictly inside the box", Assert.Single(off.Examples));
        var on = CornerReach.Check(Sample(tiny), new CornerReachRule(Strides, 7, CornerEncoding.Signed, 1));
        Assert.Equal(0, on.NoPrior);
        Assert.Equal(0, on.ObjectsUnrepresentableSigned);
    }
}
