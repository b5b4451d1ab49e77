using NanoDet.Abstractions.Data;
using NanoDet.Abstractions.Geometry;
using NanoDet.Datasets.Pipeline;
using NanoDet.Inference.Errors;
using NanoDet.Inference.Geometry;

namespace NanoDet.Datasets.Tests;

/// <summary>Box and corner warping (docs/reference.md#warping-boxes-and-corners) and the flip relabelling the reference forks miss (docs/reference.md#horizontal-flip-and-corner-labels).</summary>
public class TargetWarperTests
{
    [Fact]
    public void Box_goes_through_its_four_corners_then_min_max()
    {
        // R90 then T(50, 50): (0,0)→(50,50), (10,20)→(70,40), (0,20)→(70,50), (10,0)→(50,40)
        var m = WarpMatrix.Translation(50, 50) * ShapeTransform.Rotation(90);
        var b = TargetWarper.WarpBox(new Box(0, 0, 10, 20), m, 200, 200);
        Assert.Equal(new Box(50, 40, 70, 50), b);
    }

    [Fact]
    public void Box_and_points_are_clipped_to_the_output()
    {
        var m = WarpMatrix.Translation(-5, 90);
        Assert.Equal(new Box(0, 95, 5, 100), TargetWarper.WarpBox(new Box(0, 5, 10, 20), m, 100, 100));
        // each corner coordinate clipped on its own (reference behaviour)
        var q = TargetWarper.WarpPointsRaw(TestFiles.Quad(0, 5, 0, 20, 10, 20, 10, 5), m, 100, 100);
        Assert.Equal(TestFiles.Quad(0, 95, 0, 100, 5, 100, 5, 95), q);
    }

    [Fact]
    public void Flip_relabels_corners_so_the_quadrant_codec_stays_valid()
    {
        // docs/reference.md#horizontal-flip-and-corner-labels example: centre (50, 50), TL(30,40) BL(32,60) BR(70,62) TR(68,38), mirror about x = 50
        var q = TestFiles.Quad(30, 40, 32, 60, 70, 62, 68, 38);
        Assert.Equal([20f, 10, 18, 10, 20, 12, 18, 12], DistanceCodec.PointsToDistances(50, 50, q));
        var flip = WarpMatrix.Translation(50, 0) * ShapeTransform.Flip(true) * WarpMatrix.Translation(-50, 0);

        // what NanoDet's four-point forks produce: values mirrored, labels kept → every x distance negative
        var raw = TargetWarper.WarpPointsRaw(q, flip, 100, 100);
        Assert.Equal([-20f, 10, -18, 10, -20, 12, -18, 12], DistanceCodec.PointsToDistances(50, 50, raw));

        // ours: list reversed (TL ← TR, BL ← BR, BR ← BL, TR ← TL), all distances valid again
        var fixedQ = TargetWarper.WarpPoints(q, flip);
        Assert.Equal(TestFiles.Quad(32, 38, 30, 62, 68, 60, 70, 40), fixedQ);
        Assert.Equal([18f, 12, 20, 12, 18, 10, 20, 10], DistanceCodec.PointsToDistances(50, 50, fixedQ));
        Assert.True(fixedQ.Tl.X < fixedQ.Tr.X && fixedQ.Bl.X < fixedQ.Br.X && fixedQ.Tl.Y < fixedQ.Bl.Y && fixedQ.Tr.Y < fixedQ.Br.Y);
    }

    [Fact]
    public void Mirroring_is_detected_through_the_whole_composed_matrix()
    {
        var flip = ShapeTransform.Compose(ShapeDraw.Identity with { Flip = true, Scale = 0.8, RotationDeg = 5 }, 100, 100, 320, 320, false);
        var plain = ShapeTransform.Compose(ShapeDraw.Identity with { Scale = 0.8, RotationDeg = 5 }, 100, 100, 320, 320, false);
        Assert.True(TargetWarper.MirrorsAt(flip, 50, 50));
        Assert.False(TargetWarper.MirrorsAt(plain, 50, 50));
        // perspective keeps the orientation (z > 0 across the image)
        var persp = ShapeTransform.Compose(ShapeDraw.Identity with { PerspectiveX = 0.002, PerspectiveY = -0.002 }, 100, 100, 100, 100, false);
        Assert.False(TargetWarper.MirrorsAt(persp, 10, 90));
    }

    [Fact]
    public void Degenerate_boxes_are_dropped_only_when_asked()
    {
        var anns = new List<Annotation> { new(0, new Box(10, 10, 20, 20), null), new(1, new Box(150, 10, 160, 20), null) };
        var m = WarpMatrix.Identity; // the second box lies right of a 100 px wide output → clipped to zero width
        Assert.Single(TargetWarper.Warp(anns, m, 100, 100, dropDegenerate: true));
        var kept = TargetWarper.Warp(anns, m, 100, 100, dropDegenerate: false);
        Assert.Equal(2, kept.Count);
        Assert.Equal(0, kept[1].Box.Width);
    }
}
