using NanoDet.Abstractions.Data;
using NanoDet.Abstractions.Geometry;
using NanoDet.Abstractions.Model;
using NanoDet.Heads.Assigners;
using NanoDet.Heads.Losses;
using NanoDet.Heads.PostProcess;
using NanoDet.Heads.Tests.Training;
using NanoDet.Inference.Detections;
using NanoDet.Inference.Errors;
using NanoDet.Inference.Geometry;
using NanoDet.Inference.PostProcessing;
using static TorchSharp.torch;

namespace NanoDet.Heads.Tests;

/// <summary>
/// The signed corner encoding end to end on rotated and skewed plates: the loss's targets, turned into the bin
/// distribution they describe, decode through the post-process back to the exact corners from every prior inside
/// the box — including priors that see corners on the wrong side of their quadrant, which the quadrant encoding
/// clamps (checked too, so the plates really exercise the clamp).
/// </summary>
public class SignedCornerEncodingTests
{
    private const int Size = 64;
    private static readonly int[] Strides = [8, 16];

    /// <summary>Corners TL, BL, BR, TR of a w×h plate rotated by <paramref name="degrees"/> about (cx, cy), plus a horizontal shear.</summary>
    private static Quad Plate(float cx, float cy, float w, float h, double degrees, float shear = 0)
    {
        (float X, float Y)[] local = [(-w / 2, -h / 2), (-w / 2, h / 2), (w / 2, h / 2), (w / 2, -h / 2)];
        double a = degrees * Math.PI / 180;
        var p = local.Select(v =>
        {
            float x = v.X + shear * v.Y, y = v.Y;
            return new PointF2((float)(cx + x * Math.Cos(a) - y * Math.Sin(a)), (float)(cy + x * Math.Sin(a) + y * Math.Cos(a)));
        }).ToArray();
        return new Quad(p[0], p[1], p[2], p[3]);
    }

    public static TheoryData<float, float, float, float, double, float> Plates => new()
    {
        { 30, 33, 36, 14, 0, 0 },       // upright: corners near the box corners
        { 31, 30, 36, 14, 35, 0 },      // rotated: TL/BR swing past the priors near the centre
        { 33, 32, 30, 22, 60, 0 },      // steeply rotated: the labelled TL is right of many priors
        { 32, 31, 34, 16, -20, 0.9f },  // skewed: a parallelogram leaning right
        { 30, 34, 26, 20, 90, -0.6f },  // a quarter turn plus skew: every corner in the "wrong" quadrant of the centre
    };

    [Theory]
    [MemberData(nameof(Plates))]
    public void Every_prior_inside_the_box_round_trips_every_corner(float cx, float cy, float w, float h, double deg, float shear)
    {
        using var scope = NewDisposeScope();
        var plate = Plate(cx, cy, w, h, deg, shear);
        var box = plate.Bounds();
        int wrongSide = 0, priorsChecked = 0;
        foreach (var (px, py, s) in PriorPoints.Enumerate(Size, Size, Strides))
        {
            if (!(px > box.X1 && px < box.X2 && py > box.Y1 && py < box.Y2)) continue;
            var (l, t, r, b) = DistanceCodec.BoxToDistances(px, py, box);
            if (Math.Max(Math.Max(l, t), Math.Max(r, b)) > 6.9 * s) continue;   // the box itself is out of this level's reach
            priorsChecked++;
            var quadrantDistances = DistanceCodec.PointsToDistances(px, py, plate);
            bool clamped = quadrantDistances.Any(d => d < 0);
            if (clamped) wrongSide++;

            var signed = Decode(CornerEncoding.Signed, plate, box, px, py, s);
            AssertQuad(plate, signed, 2e-3f);

            var quadrant = Decode(CornerEncoding.Quadrant, plate, box, px, py, s);
            if (clamped) Assert.True(MaxError(plate, quadrant) > 0.5f, $"quadrant should lose a wrong-side corner from prior ({px}, {py})");
            else AssertQuad(plate, quadrant, 2e-3f);
        }
        Assert.True(priorsChecked > 0);
        if (deg != 0) Assert.True(wrongSide > 0, "the plate should put corners on the wrong side of some prior");
    }

    [Fact]
    public void Signed_targets_are_offsets_mapped_onto_the_symmetric_bins_and_quadrant_targets_are_unchanged()
    {
        // One prior at (8, 8) inside [1, 2, 15, 14]; TL.x = 12 lies right of the prior: quadrant clamps it to 0,
        // signed keeps +0.5 strides = bin (0.5 + 7) / 2 = 3.75.
        using var scope = NewDisposeScope();
        var gt = new ImageTargets(tensor(new float[] { 1, 2, 15, 14 }).reshape(1, 4), tensor(new long[] { 0 }),
            tensor(new float[] { 12, 3, 3, 13, 13, 12, 12, 4 }).reshape(1, 8));
        var targets = new DetectionTargets([gt], 16, 16);
        var priors = PriorGrid.Priors(16, 16, [8]);
        var quadrant = new HeadLayout(1, 7, 4, [8]);
        var signed = quadrant with { CornerEncoding = CornerEncoding.Signed };
        var tq = new NanoDetPlusLoss(quadrant, new DynamicSoftLabelAssigner(new AssignerOptions())).BuildTargets(zeros(1, 4, quadrant.Channels), priors, targets);
        var ts = new NanoDetPlusLoss(signed, new DynamicSoftLabelAssigner(new AssignerOptions())).BuildTargets(zeros(1, 4, signed.Channels), priors, targets);
        var q = tq.DistTargets[0].data<float>().ToArray();
        var s = ts.DistTargets[0].data<float>().ToArray();
        Assert.Equal(q[..4], s[..4]);                                          // box sides identical
        Assert.Equal(0f, q[4]);                                                // quadrant: wrong side → 0
        float[] offsets = [12, 3, 3, 13, 13, 12, 12, 4];
        for (int i = 0; i < 8; i++)
            Assert.Equal(((offsets[i] - 8) / 8 + 7) / 2, s[4 + i], 5);
    }

    [Fact]
    public void Signed_targets_are_capped_symmetrically_at_reg_max_minus_a_tenth()
    {
        using var scope = NewDisposeScope();
        var codec = new CornerCodec(CornerEncoding.Signed, 7);
        var bins = codec.StridesToBinTargets(tensor(new float[] { -20, -6.9f, 0, 6.9f, 20 })).data<float>().ToArray();
        Assert.Equal(new[] { 0.05f, 0.05f, 3.5f, 6.95f, 6.95f }, bins, new FloatTolerance(1e-5f));
        Assert.True(codec.Represents(-6.9) && codec.Represents(6.9) && !codec.Represents(-7) && !codec.Represents(7));
        Assert.False(new CornerCodec(CornerEncoding.Quadrant, 7).Represents(-0.01));
    }

    /// <summary>
    /// The corners the post-process decodes from the one prior (px, py) whose bins are the loss's targets for
    /// <paramref name="plate"/> under <paramref name="encoding"/>: each target t becomes the two-bin distribution
    /// (1 − frac, frac) around it, whose expectation is t.
    /// </summary>
    private static Quad Decode(CornerEncoding encoding, Quad plate, Box box, float px, float py, int s)
    {
        var layout = new HeadLayout(1, 7, 4, Strides) { CornerEncoding = encoding };
        var priors = PriorPoints.Enumerate(Size, Size, Strides).ToArray();
        int k = layout.Channels, index = Array.IndexOf(priors, (px, py, s));
        var raw = new float[priors.Length * k];
        for (int i = 0; i < raw.Length; i++) raw[i] = -10f;

        using var scope = NewDisposeScope();
        var center = tensor(new[] { px, py }).reshape(1, 2);
        var sides = DistanceCodec.BoxToDistance(center, tensor(new[] { box.X1, box.Y1, box.X2, box.Y2 }).reshape(1, 4)) / s;
        var cornerStrides = DistanceCodec.PointsToDistance(center, tensor(plate.ToArray()).reshape(1, 8), encoding) / s;
        var bins = cat([sides.clamp(0, 6.9), layout.Corners.StridesToBinTargets(cornerStrides)], 1).data<float>().ToArray();

        raw[index * k] = 0.9f;
        for (int g = 0; g < 12; g++)
        {
            int lo = (int)Math.Floor(bins[g]);
            double frac = bins[g] - lo;
            int at = index * k + 1 + g * layout.Bins;
            for (int i = 0; i < layout.Bins; i++) raw[at + i] = -1e4f;
            raw[at + lo] = (float)Math.Log(1 - frac);
            if (lo + 1 < layout.Bins) raw[at + lo + 1] = frac > 0 ? (float)Math.Log(frac) : -1e4f;
        }
        var post = new NanoDetPostProcessor(new NanoDetPostProcessOptions { ScoreThreshold = 0.5f });
        var det = Assert.Single(post.Process(raw, 1, layout, Size, Size, [new ImageGeometry(WarpMatrix.Identity, Size, Size)])[0]);
        return det.Points!.Value;
    }

    private static float MaxError(Quad expected, Quad actual) =>
        expected.ToArray().Zip(actual.ToArray(), (e, a) => Math.Abs(e - a)).Max();

    private static void AssertQuad(Quad expected, Quad actual, float tolerance) =>
        Assert.True(MaxError(expected, actual) <= tolerance, $"expected {expected}, decoded {actual}");
}
