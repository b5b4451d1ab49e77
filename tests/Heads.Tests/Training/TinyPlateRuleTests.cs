using NanoDet.Abstractions.Geometry;
using NanoDet.Abstractions.Model;
using NanoDet.Heads.Assigners;
using NanoDet.Heads.Losses;
using NanoDet.Inference.Detections;
using NanoDet.Inference.Errors;
using NanoDet.Inference.Geometry;
using static TorchSharp.torch;

namespace NanoDet.Heads.Tests.Training;

/// <summary>The assigner's tiny-plate rule (<c>center_radius</c>): a plate smaller than a stride still gets a positive.</summary>
public class TinyPlateRuleTests
{
    private static Tensor T(float[] values, params long[] shape) => tensor(values).reshape(shape);

    // A 4-pixel plate [10, 10, 14, 14] on a stride-8 grid: no prior centre (0, 8, 16) lies strictly inside it.
    private static readonly float[] Tiny = [10, 10, 14, 14];

    private static Tensor Grid3x3()
    {
        var v = new List<float>();
        for (int y = 0; y < 3; y++)
            for (int x = 0; x < 3; x++) v.AddRange([x * 8, y * 8, 8, 8]);
        return T([.. v], 9, 4);
    }

    [Fact]
    public void A_four_pixel_plate_gets_a_positive_only_with_the_rule()
    {
        using var scope = NewDisposeScope();
        var priors = Grid3x3();
        var boxes = cat([priors[.., ..2] - 4, priors[.., ..2] + 4], 1);                  // every prior predicts an 8×8 box
        var gt = T(Tiny, 1, 4);
        var off = new DynamicSoftLabelAssigner(new AssignerOptions()).Assign(full(9, 2, -2f), priors, boxes, null, gt, tensor(new long[] { 1 }), null);
        Assert.All(off.GtIndex.data<long>().ToArray(), g => Assert.Equal(0, g));

        var on = new DynamicSoftLabelAssigner(new AssignerOptions { CenterRadius = 1 })
            .Assign(full(9, 2, -2f), priors, boxes, null, gt, tensor(new long[] { 1 }), null);
        var gts = on.GtIndex.data<long>().ToArray();
        // Centre (12, 12): within 8 px on both axes are (8,8), (16,8), (8,16), (16,16); IoU 4/76 each, k = 1.
        Assert.Equal(1, gts.Count(g => g == 1));
        Assert.Contains(Array.IndexOf(gts, 1L), new[] { 4, 5, 7, 8 });
        Assert.Equal(1, on.Labels.data<long>().ToArray().Count(l => l == 1));
    }

    [Fact]
    public void Candidates_within_the_radius_of_the_centre_count_per_level_stride()
    {
        using var scope = NewDisposeScope();
        var priors = PriorGrid.Priors(32, 32, [8, 16]);                                   // 16 + 4 priors
        var gt = T(Tiny, 1, 4);
        Assert.Equal(0, DynamicSoftLabelAssigner.CandidateIndex(priors, gt).shape[0]);
        var picked = DynamicSoftLabelAssigner.CandidateIndex(priors, gt, 1).data<long>().ToArray();
        // stride 8: (8|16, 8|16) → indices 5, 6, 9, 10; stride 16: every centre 0..16 is within 16 px of 12 → 16..19
        Assert.Equal(new long[] { 5, 6, 9, 10, 16, 17, 18, 19 }, picked);
    }

    [Fact]
    public void The_loss_trains_a_four_pixel_plate_with_the_rule()
    {
        using var scope = NewDisposeScope();
        var layout = new HeadLayout(1, 7, 4, [8, 16]) { CornerEncoding = CornerEncoding.Signed };
        var targets = new DetectionTargets([new ImageTargets(T(Tiny, 1, 4), tensor(new long[] { 0 }),
            T([10, 10, 10, 14, 14, 14, 14, 10], 1, 8))], 32, 32);
        var preds = zeros(1, layout.PriorCount(32, 32), layout.Channels);
        var without = new NanoDetPlusLoss(layout, new DynamicSoftLabelAssigner(new AssignerOptions())).Compute(preds, null, targets);
        Assert.Equal(0, without.NumPositives);
        var with = new NanoDetPlusLoss(layout, new DynamicSoftLabelAssigner(new AssignerOptions { CenterRadius = 1 })).Compute(preds, null, targets);
        Assert.True(with.NumPositives >= 1);
        Assert.True(float.IsFinite(with.Total.item<float>()));
    }
}
