using NanoDet.Inference.Detections;
using NanoDet.Inference.Errors;
using NanoDet.Inference.Geometry;
using NanoDet.Inference.PostProcessing;

namespace NanoDet.Inference.Tests.PostProcessing;

/// <summary>Post-process on hand-made raw outputs (docs/reference.md#post-processing).</summary>
public class NanoDetPostProcessorTests
{
    // One level, stride 8, input 16×16: priors (0,0), (8,0), (0,8), (8,8). Two classes, reg_max 7, four points.
    private static readonly HeadLayout Layout = new(2, 7, 4, [8]);
    private const int K = 2 + 12 * 8;

    /// <summary>Bin logits putting (almost) all mass on bin <paramref name="d"/>: expectation ≈ d (error &lt; 1e-6).</summary>
    private static void SetDistance(float[] o, int prior, int group, int d)
    {
        for (int i = 0; i < 8; i++) o[prior * K + 2 + group * 8 + i] = i == d ? 30f : 0f;
    }

    /// <summary>Raw output where prior p predicts box sides (l,t,r,b) and all 8 corner distances in bins.</summary>
    private static void SetPrior(float[] o, int prior, float score0, float score1, int[] sides, int[] corners)
    {
        o[prior * K] = score0;
        o[prior * K + 1] = score1;
        for (int g = 0; g < 4; g++) SetDistance(o, prior, g, sides[g]);
        for (int g = 0; g < 8; g++) SetDistance(o, prior, 4 + g, corners[g]);
    }

    private static NanoDetPostProcessor Make(float thr = 0.05f, float iou = 0.6f, int max = 100) =>
        new(new NanoDetPostProcessOptions { ScoreThreshold = thr, NmsIou = iou, MaxDetections = max });

    private static readonly ImageGeometry Identity16 = new(WarpMatrix.Identity, 16, 16);

    [Fact]
    public void Decodes_box_and_corners_with_quadrant_signs_and_clamps_to_the_input()
    {
        var o = new float[4 * K];
        // Prior 3 at (8, 8): sides 1 bin each -> box (0,0)-(16,16) after ×8.
        // Corners: TL (-1,-1) bins, BL (-1,+1), BR (+1,+1), TR (+1,-1) -> (0,0), (0,16), (16,16), (16,0).
        SetPrior(o, 3, 0.9f, 0.01f, [1, 1, 1, 1], [1, 1, 1, 1, 1, 1, 1, 1]);
        var det = Assert.Single(Make().Process(o, 1, Layout, 16, 16, [Identity16])[0]);
        Assert.Equal(0, det.Label);
        Assert.Equal(0.9f, det.Score);
        AssertBox(new Box(0, 0, 16, 16), det.Box);
        AssertQuad(new Quad(new(0, 0), new(0, 16), new(16, 16), new(16, 0)), det.Points!.Value);

        // Prior 0 at (0,0) predicting 2 bins left/up: x1 = -16 clamps to 0.
        var o2 = new float[4 * K];
        SetPrior(o2, 0, 0.5f, 0f, [2, 2, 1, 1], [2, 2, 2, 1, 1, 1, 1, 2]);
        var d2 = Assert.Single(Make().Process(o2, 1, Layout, 16, 16, [Identity16])[0]);
        AssertBox(new Box(0, 0, 8, 8), d2.Box);
        // TL = (0-16, 0-16) -> (0,0); BL = (0-16, 0+8) -> (0,8); BR = (8,8); TR = (8, 0-16) -> (8,0).
        AssertQuad(new Quad(new(0, 0), new(0, 8), new(8, 8), new(8, 0)), d2.Points!.Value);
    }

    [Fact]
    public void Threshold_is_strict_and_candidates_are_multi_label()
    {
        var o = new float[4 * K];
        SetPrior(o, 0, 0.05f, 0.0500001f, [1, 1, 1, 1], [0, 0, 0, 0, 0, 0, 0, 0]);   // class 0 at exactly 0.05: dropped
        SetPrior(o, 3, 0.7f, 0.6f, [1, 1, 1, 1], [0, 0, 0, 0, 0, 0, 0, 0]);           // two classes, same box
        var dets = Make().Process(o, 1, Layout, 16, 16, [Identity16])[0];
        Assert.Equal(3, dets.Count);
        Assert.Equal([0.7f, 0.6f, 0.0500001f], dets.Select(d => d.Score).ToArray());
        Assert.Equal([0, 1, 1], dets.Select(d => d.Label).ToArray());
    }

    [Fact]
    public void Nms_suppresses_same_class_overlaps_above_the_threshold_only()
    {
        var o = new float[4 * K];
        // Prior 3 (8,8) box (0,0)-(16,16), area 256. Prior 0 (0,0) with sides (0,0,2,2): box (0,0)-(16,16) as well.
        SetPrior(o, 3, 0.9f, 0f, [1, 1, 1, 1], new int[8]);
        SetPrior(o, 0, 0.8f, 0f, [0, 0, 2, 2], new int[8]);
        // Prior 1 (8,0) with sides (1,0,1,1): box (0,0)-(16,8), IoU with (0,0,16,16) = 128/256 = 0.5 <= 0.6: kept.
        SetPrior(o, 1, 0.7f, 0f, [1, 0, 1, 1], new int[8]);
        var dets = Make().Process(o, 1, Layout, 16, 16, [Identity16])[0];
        Assert.Equal([0.9f, 0.7f], dets.Select(d => d.Score).ToArray());
        // With threshold 0.4 the 0.5-IoU box is suppressed too.
        Assert.Single(Make(iou: 0.4f).Process(o, 1, Layout, 16, 16, [Identity16])[0]);
    }

    [Fact]
    public void Max_num_keeps_the_highest_scores()
    {
        var o = new float[4 * K];
        // Four disjoint boxes: each prior predicts a 4×4 box around itself (sides 0 bins would be degenerate, use 1 bin but tiny IoU).
        for (int p = 0; p < 4; p++) SetPrior(o, p, 0.1f + 0.2f * p, 0f, [0, 0, 1, 1], new int[8]);
        var dets = Make(max: 2).Process(o, 1, Layout, 16, 16, [Identity16])[0];
        Assert.Equal([0.7f, 0.5f], dets.Select(d => d.Score).ToArray(), new ToleranceComparer(1e-6f));
    }

    [Fact]
    public void Maps_back_to_the_original_image_with_the_inverse_warp_keep_ratio_case()
    {
        // A 64×32 image letterboxed into 16×16 with keep_ratio: r = 16/64 = 0.25, dst 16×8, centred:
        // M = T(8,4) · S(0.25) · T(-32,-16); the network sees the image in rows 0..8 of the padded input.
        var warp = WarpMatrix.Translation(8, 4) * WarpMatrix.Scaling(0.25, 0.25) * WarpMatrix.Translation(-32, -16);
        var o = new float[4 * K];
        SetPrior(o, 3, 0.9f, 0f, [1, 1, 1, 0], [1, 1, 1, 0, 1, 0, 1, 1]);   // box (0,0)-(16,8) in the input
        var det = Assert.Single(Make().Process(o, 1, Layout, 16, 16, [new ImageGeometry(warp, 64, 32)])[0]);
        // Inverse: x' = (x - 8)/0.25 + 32 = 4x, y' = (y - 4)/0.25 + 16 = 4y. (0,0)-(16,8) -> (0,0)-(64,32).
        AssertBox(new Box(0, 0, 64, 32), det.Box);
        // Corners in the input: TL (0,0), BL (0,8), BR (16,8), TR (16,0) -> ×4.
        AssertQuad(new Quad(new(0, 0), new(0, 32), new(64, 32), new(64, 0)), det.Points!.Value);
    }

    [Fact]
    public void Decoded_output_gives_the_same_detections()
    {
        var o = new float[4 * K];
        SetPrior(o, 3, 0.9f, 0f, [1, 1, 1, 1], [1, 1, 1, 1, 1, 1, 1, 1]);
        SetPrior(o, 0, 0.3f, 0.2f, [0, 0, 1, 1], [0, 0, 0, 1, 1, 1, 1, 0]);
        var a = Make().Process(o, 1, Layout, 16, 16, [Identity16])[0];

        // Build the decoded variant [N, C + 4 + 8] from the same numbers.
        const int kd = 2 + 12;
        var dec = new float[4 * kd];
        var priors = PriorPoints.Enumerate(16, 16, [8]).ToArray();
        Span<float> d = stackalloc float[12];
        for (int p = 0; p < 4; p++)
        {
            dec[p * kd] = o[p * K];
            dec[p * kd + 1] = o[p * K + 1];
            NanoDetPostProcessor.Integrate(o.AsSpan(p * K + 2, 96), 8, d);
            var (cx, cy, s) = priors[p];
            dec[p * kd + 2] = cx - d[0] * s; dec[p * kd + 3] = cy - d[1] * s;
            dec[p * kd + 4] = cx + d[2] * s; dec[p * kd + 5] = cy + d[3] * s;
            var q = QuadrantPoints(cx, cy, [d[4] * s, d[5] * s, d[6] * s, d[7] * s, d[8] * s, d[9] * s, d[10] * s, d[11] * s]);
            q.ToArray().CopyTo(dec, p * kd + 6);
        }
        var b = Make().Process(dec, 1, Layout, 16, 16, [Identity16], decoded: true)[0];
        Assert.Equal(a.Count, b.Count);
        for (int i = 0; i < a.Count; i++)
        {
            Assert.Equal(a[i].Label, b[i].Label);
            AssertBox(a[i].Box, b[i].Box);
            AssertQuad(a[i].Points!.Value, b[i].Points!.Value);
        }
    }

    [Fact]
    public void Wrong_output_size_is_rejected()
    {
        var e = Assert.Throws<ArgumentException>(() => Make().Process(new float[10], 1, Layout, 16, 16, [Identity16]));
        Assert.Contains("expected 1×4×98", e.Message);
    }

    private static void AssertBox(Box expected, Box actual)
    {
        Assert.Equal(expected.X1, actual.X1, 3);
        Assert.Equal(expected.Y1, actual.Y1, 3);
        Assert.Equal(expected.X2, actual.X2, 3);
        Assert.Equal(expected.Y2, actual.Y2, 3);
    }

    private static void AssertQuad(Quad expected, Quad actual)
    {
        var e = expected.ToArray();
        var a = actual.ToArray();
        for (int i = 0; i < 8; i++) Assert.Equal(e[i], a[i], 3);
    }

    private sealed class ToleranceComparer(float tol) : IEqualityComparer<float>
    {
        public bool Equals(float x, float y) => Math.Abs(x - y) <= tol;
        public int GetHashCode(float obj) => 0;
    }

    /// <summary>Corners from eight quadrant distances (pixels), signs per corner from <see cref="QuadrantSigns"/>.</summary>
    private static Quad QuadrantPoints(float cx, float cy, float[] d)
    {
        var xy = new float[8];
        for (int k = 0; k < 4; k++)
        {
            xy[2 * k] = cx + QuadrantSigns.X[k] * d[2 * k];
            xy[2 * k + 1] = cy + QuadrantSigns.Y[k] * d[2 * k + 1];
        }
        return Quad.FromArray(xy);
    }
}
