using NanoDet.Abstractions.Model;
using NanoDet.Heads.Assigners;
using NanoDet.Inference.Detections;
using NanoDet.Inference.Errors;
using NanoDet.Inference.Geometry;
using static TorchSharp.torch;

namespace NanoDet.Heads.Tests.Training;

/// <summary>
/// docs/reference.md#label-assignment on hand-built cases. Costs quoted in comments were derived by hand and confirmed with the
/// reference assigner (official DSLA + the four-point repo's corner cost) run locally.
/// </summary>
public class DynamicSoftLabelAssignerTests
{
    private static readonly DynamicSoftLabelAssigner Dsla = new(new AssignerOptions());

    private static Tensor T(float[] values, params long[] shape) => tensor(values).reshape(shape);

    private static (long[] Gt, long[] Labels, float[] Ious) Read(AssignResult r) =>
        (r.GtIndex.data<long>().ToArray(), r.Labels.data<long>().ToArray(), r.MaxOverlaps.data<float>().ToArray());

    /// <summary>Priors (x·8, y·8) for x, y in 0..2, row-major, stride 8: [9, 4].</summary>
    private static Tensor Grid3x3(float offset = 0)
    {
        var v = new List<float>();
        for (int y = 0; y < 3; y++)
            for (int x = 0; x < 3; x++) v.AddRange([x * 8 + offset, y * 8 + offset, 8, 8]);
        return T([.. v], 9, 4);
    }

    [Fact]
    public void Golden_toy_only_the_center_prior_is_positive()
    {
        // docs/reference.md#golden-values Strictly inside [3,3,20,14]: centers (8,8) and (16,8) only (x=0 fails cx−3>0, y=16 fails 14−cy>0).
        // IoU([2,2,14,14], GT) = 11·11 / (144 + 187 − 121) = 121/210 = 0.5762; prior 5: 110/221 = 0.4977.
        // k = ⌊0.5762 + 0.4977⌋ = 1; prior 4 has the larger IoU, hence the smaller cost.
        using var scope = NewDisposeScope();
        var priors = Grid3x3();
        var boxes = cat([priors[.., ..2] - 6, priors[.., ..2] + 6], 1);
        var r = Dsla.Assign(full(9, 2, -2f), priors, boxes, null, T([3, 3, 20, 14], 1, 4), tensor(new long[] { 1 }), null);
        var (gt, labels, ious) = Read(r);
        Assert.Equal(new long[] { 0, 0, 0, 0, 1, 0, 0, 0, 0 }, gt);
        Assert.Equal(new long[] { -1, -1, -1, -1, 1, -1, -1, -1, -1 }, labels);
        Assert.Equal(0.5762, ious[4], 4);
        Assert.Equal(1, r.NumGts);
    }

    [Fact]
    public void Candidate_filter_is_strict()
    {
        // GT [8,8,16,16]: the priors (8,8), (16,8), (8,16), (16,16) lie on its border (e.g. cx − x1 = 0), so none is a candidate.
        using var scope = NewDisposeScope();
        var priors = Grid3x3();
        var boxes = cat([priors[.., ..2] - 6, priors[.., ..2] + 6], 1);
        var r = Dsla.Assign(zeros(9, 2), priors, boxes, null, T([8, 8, 16, 16], 1, 4), tensor(new long[] { 0 }), null);
        Assert.All(Read(r).Gt, g => Assert.Equal(0, g));
        Assert.All(Read(r).Labels, l => Assert.Equal(-1, l));
    }

    [Fact]
    public void No_ground_truth_gives_all_negatives()
    {
        using var scope = NewDisposeScope();
        var priors = Grid3x3();
        var r = Dsla.Assign(zeros(9, 2), priors, priors, null, zeros(0, 4), zeros(0, int64), null);
        Assert.Equal(0, r.NumGts);
        Assert.All(Read(r).Gt, g => Assert.Equal(0, g));
        Assert.All(Read(r).Labels, l => Assert.Equal(-1, l));
        Assert.All(Read(r).Ious, v => Assert.Equal(0f, v));
    }

    [Fact]
    public void No_valid_prior_gives_all_negatives()
    {
        // A 6-pixel object between grid points: no prior center falls inside it.
        using var scope = NewDisposeScope();
        var priors = Grid3x3();
        var r = Dsla.Assign(zeros(9, 2), priors, priors, null, T([1, 1, 7, 7], 1, 4), tensor(new long[] { 0 }), null);
        Assert.Equal(1, r.NumGts);
        Assert.All(Read(r).Gt, g => Assert.Equal(0, g));
    }

    [Fact]
    public void Dynamic_k_is_the_truncated_sum_of_the_top_ious()
    {
        using var scope = NewDisposeScope();
        var priors = Grid3x3(offset: 8);                           // centers 8..24, all inside [0,0,32,32]
        var gt = T([0, 0, 32, 32], 1, 4);
        // Every prediction equals the GT: 9 IoUs of 1 → k = min(13, 9) = 9, every candidate is positive.
        var perfect = Dsla.Assign(full(9, 2, -2f), priors, gt.repeat(9, 1), null, gt, tensor(new long[] { 1 }), null);
        Assert.All(Read(perfect).Gt, g => Assert.Equal(1, g));
        // Every prediction covers half the GT: IoU 0.5 each, k = ⌊9 · 0.5⌋ = 4 (which 4 is a tie).
        var half = Dsla.Assign(full(9, 2, -2f), priors, T([0, 0, 32, 16], 1, 4).repeat(9, 1), null, gt, tensor(new long[] { 1 }), null);
        var (g2, _, iou2) = Read(half);
        Assert.Equal(4, g2.Count(g => g == 1));
        Assert.All(g2.Zip(iou2).Where(p => p.First == 1), p => Assert.Equal(0.5f, p.Second, 5));
    }

    /// <summary>
    /// Two near-identical GTs, A = [0,0,40,20] (class 0) and B = [0,0,36,20] (class 1); both priors inside both.
    /// Prior 0 predicts [0,0,38,20] (IoU A 0.95, B 0.947), prior 1 predicts [10,0,30,20] (IoU A 0.5, B 0.556).
    /// k_A = ⌊0.95 + 0.5⌋ = 1, k_B = ⌊0.947 + 0.556⌋ = 1.
    /// </summary>
    private static AssignResult Competing(Tensor logits) => Dsla.Assign(logits,
        T([10, 10, 8, 8, 30, 10, 8, 8], 2, 4), T([0, 0, 38, 20, 10, 0, 30, 20], 2, 4), null,
        T([0, 0, 40, 20, 0, 0, 36, 20], 2, 4), tensor(new long[] { 0, 1 }), null);

    [Fact]
    public void Two_gts_competing_for_a_prior_keep_the_cheaper_one()
    {
        using var scope = NewDisposeScope();
        // All logits −2 (σ = 0.119). Cost = cls + 3·(−ln IoU):
        //   prior 0: A 1.4008 + 0.1539 = 1.5547, B 1.3884 + 0.1622 = 1.5506  → both GTs pick prior 0 (their cheapest);
        //   prior 1: A 0.1652 + 2.0794, B 0.2375 + 1.7634 (higher).
        // Conflict on prior 0: B is cheaper (1.5506 < 1.5547) and keeps it; A is left without a positive
        // (reference behaviour: a GT can lose its only prior).
        var (gt, labels, ious) = Read(Competing(full(2, 2, -2f)));
        Assert.Equal(new long[] { 2, 0 }, gt);
        Assert.Equal(new long[] { 1, -1 }, labels);
        Assert.Equal(0.947368f, ious[0], 5);
    }

    [Fact]
    public void Conflict_follows_the_cost_not_the_iou()
    {
        using var scope = NewDisposeScope();
        // Prior 0 is confident in class 1 (logits −4, +2): its cost for A (class 0, σ(2) = 0.88 on the wrong class)
        // is 4.9667 + 0.1539 = 5.12, for B only 0.0010 + 0.1622. A's column now prefers prior 1
        // (0.1652 + 2.0794 = 2.24 < 5.12) while B keeps prior 0: each GT gets its own prior, IoU notwithstanding.
        var logits = full(2, 2, -2f);
        logits[0] = tensor(new float[] { -4, 2 });
        var (gt, labels, ious) = Read(Competing(logits));
        Assert.Equal(new long[] { 2, 1 }, gt);
        Assert.Equal(new long[] { 1, 0 }, labels);
        Assert.Equal(0.947368f, ious[0], 5);
        Assert.Equal(0.5f, ious[1], 5);
    }

    /// <summary>
    /// One GT [0,0,400,400] with corners at its box corners. Prior 0 predicts the box [0,0,400,360] (IoU 0.9)
    /// with every corner coordinate off by <paramref name="offset"/> px; prior 1 predicts [0,0,400,320] (IoU 0.8)
    /// with exact corners. Confident class logits make the cls cost tiny (1e-4, 3.5e-3), so the IoU cost
    /// decides without corners: 3·(−ln 0.9) = 0.316 &lt; 3·(−ln 0.8) = 0.669. k = ⌊1.7⌋ = 1.
    /// </summary>
    private static long[] CornerCase(float offset, bool pointsCost)
    {
        var dsla = new DynamicSoftLabelAssigner(new AssignerOptions { PointsCost = pointsCost });
        var logits = full(2, 3, -4f);
        logits[.., 0] = 2f;
        var gtPts = T([0, 0, 0, 400, 400, 400, 400, 0], 1, 8);
        var pts = cat([gtPts + offset, gtPts], 0);
        var r = dsla.Assign(logits, T([100, 100, 32, 32, 300, 300, 32, 32], 2, 4), T([0, 0, 400, 360, 0, 0, 400, 320], 2, 4), pts,
            T([0, 0, 400, 400], 1, 4), tensor(new long[] { 0 }), gtPts);
        return Read(r).Gt;
    }

    [Fact]
    public void Points_cost_changes_the_match_only_for_large_corner_errors()
    {
        using var scope = NewDisposeScope();
        // 200 px: corner cost 1.03^(200 − 100) = 19.22 vs 1.03^−100 = 0.052 → the exact-corner prior wins.
        Assert.Equal(new long[] { 1, 0 }, CornerCase(200, pointsCost: false));
        Assert.Equal(new long[] { 0, 1 }, CornerCase(200, pointsCost: true));
        // 50 px: 1.03^−50 = 0.228 vs 0.052; the 0.176 gap is below the IoU gap 0.353 → the match is unchanged.
        Assert.Equal(new long[] { 1, 0 }, CornerCase(50, pointsCost: true));
    }

    [Fact]
    public void Vectorised_assigner_equals_a_literal_per_gt_transcription_on_random_images()
    {
        using var scope = NewDisposeScope();
        var gen = new Generator().manual_seed(7);
        int conflicts = 0;
        foreach (var (m, c, withPoints) in new[] { (5, 36, true), (1, 3, false), (12, 36, true), (3, 80, false) })
        {
            var (priors, logits, boxes, pts, gtBoxes, gtLabels, gtPts) = RandomImage.Create(gen, 320, 320, m, c);
            var options = new AssignerOptions { PointsCost = withPoints };
            var fast = new DynamicSoftLabelAssigner(options).Assign(logits, priors, boxes, pts, gtBoxes, gtLabels, gtPts);
            var slow = LiteralAssigner.Assign(options, logits, priors, boxes, withPoints ? pts : null, gtBoxes, gtLabels, withPoints ? gtPts : null);
            var (fg, fl, fi) = Read(fast);
            Assert.True(fg.Count(g => g > 0) >= 1);
            Assert.Equal(slow.Gt, fg);
            Assert.Equal(slow.Labels, fl);
            for (int i = 0; i < fi.Length; i++) Assert.Equal(slow.Ious[i], fi[i], 5);
            conflicts += slow.Conflicts;
        }
        Assert.True(conflicts > 0, "the random images should exercise the conflict rule");
    }
}
