using NanoDet.Abstractions.Data;
using NanoDet.Abstractions.Geometry;
using NanoDet.Inference.Errors;
using NanoDet.Inference.Geometry;
using static TorchSharp.torch;

namespace NanoDet.Abstractions.Tests;

/// <summary>docs/reference.md#golden-values golden vectors for the shared geometry.</summary>
public class GeometryGoldenTests
{
    private static readonly Quad Plate = new(new(30, 40), new(32, 60), new(70, 62), new(68, 38));

    [Fact]
    public void Priors_of_a_3x2_grid_at_stride_8()
    {
        using var scope = NewDisposeScope();
        var p = PriorGrid.Priors(16, 24, [8]);
        Assert.Equal(new float[] { 0, 0, 8, 0, 16, 0, 0, 8, 8, 8, 16, 8 }, p[.., ..2].reshape(-1).data<float>().ToArray());
        Assert.All(p[.., 2].data<float>().ToArray(), s => Assert.Equal(8f, s));
        Assert.Equal(new[] { (0f, 0f, 8), (8f, 0f, 8), (16f, 0f, 8), (0f, 8f, 8), (8f, 8f, 8), (16f, 8f, 8) },
            PriorPoints.Enumerate(16, 24, [8]).ToArray());
    }

    [Theory]
    [InlineData(416, 416, 3598)]
    [InlineData(320, 320, 2125)]
    [InlineData(320, 256, 1700)]
    public void Prior_counts(int h, int w, int expected)
    {
        using var scope = NewDisposeScope();
        Assert.Equal(expected, (int)PriorGrid.Priors(h, w, [8, 16, 32, 64]).shape[0]);
        Assert.Equal(expected, PriorPoints.Enumerate(h, w, [8, 16, 32, 64]).Count());
    }

    [Fact]
    public void Points_codec_matches_the_golden_vector_and_round_trips()
    {
        var d = DistanceCodec.PointsToDistances(50, 50, Plate);
        Assert.Equal(new float[] { 20, 10, 18, 10, 20, 12, 18, 12 }, d);
        Assert.Equal(Plate, DistanceCodec.DistancesToPoints(50, 50, d));

        using var scope = NewDisposeScope();
        var centers = tensor(new float[] { 50, 50 }).reshape(1, 2);
        var td = DistanceCodec.PointsToDistance(centers, tensor(Plate.ToArray()).reshape(1, 8));
        Assert.Equal(d, td.reshape(-1).data<float>().ToArray());
        Assert.Equal(Plate.ToArray(), DistanceCodec.DistanceToPoints(centers, td).reshape(-1).data<float>().ToArray());
    }

    [Fact]
    public void A_mirrored_quad_without_relabelling_falls_outside_its_quadrants()
    {
        // Flip about x = 50: every x distance becomes negative (unencodable); relabelling restores them.
        var mirrored = new Quad(new(70, 40), new(68, 60), new(30, 62), new(32, 38));
        var raw = DistanceCodec.PointsToDistances(50, 50, mirrored);
        Assert.Equal(new float[] { -20, 10, -18, 10, -20, 12, -18, 12 }, raw);
        Assert.Equal(new float[] { 18, 12, 20, 12, 18, 10, 20, 10 }, DistanceCodec.PointsToDistances(50, 50, mirrored.MirrorRelabel()));
    }

    [Fact]
    public void Integral_golden_value()
    {
        using var scope = NewDisposeScope();
        var group = new float[] { 0, 1, 2, 3, 2, 1, 0, -1 };
        var logits = tensor(group.Concat(group).Concat(group).Concat(group).ToArray()).reshape(1, 32);
        var d = DistributionIntegral.Apply(logits, 7);
        Assert.Equal(new long[] { 1, 4 }, d.shape);
        foreach (var v in d.data<float>().ToArray()) Assert.Equal(3.034487f, v, 5);
    }

    [Fact]
    public void Box_codec_round_trips_and_clamps_on_decode()
    {
        using var scope = NewDisposeScope();
        var centers = tensor(new float[] { 8, 8 }).reshape(1, 2);
        var boxes = tensor(new float[] { 3, 3, 20, 14 }).reshape(1, 4);
        var dist = DistanceCodec.BoxToDistance(centers, boxes);
        Assert.Equal(new float[] { 5, 5, 12, 6 }, dist.reshape(-1).data<float>().ToArray());
        Assert.Equal(new float[] { 3, 3, 20, 14 }, DistanceCodec.DistanceToBox(centers, dist).reshape(-1).data<float>().ToArray());
        Assert.Equal(new float[] { 3, 3, 16, 12 }, DistanceCodec.DistanceToBox(centers, dist, (12, 16)).reshape(-1).data<float>().ToArray());
    }
}
