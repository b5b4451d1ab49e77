using NanoDet.Abstractions.Geometry;
using NanoDet.Heads.Geometry;
using NanoDet.Heads.Losses;
using NanoDet.Inference.Errors;
using NanoDet.Inference.Geometry;
using static TorchSharp.torch;

namespace NanoDet.Heads.Tests.Training;

/// <summary>docs/reference.md#golden-values golden values of the loss terms, with the hand derivations.</summary>
public class LossGoldenTests
{
    private static readonly float[] Bins = [0, 1, 2, 3, 2, 1, 0, -1];

    [Fact]
    public void Integral_of_the_golden_logits()
    {
        // softmax weights e^z / 42.6681; Σ i·p_i = 3.034487.
        using var scope = NewDisposeScope();
        var logits = tensor(Enumerable.Repeat(Bins, 4).SelectMany(b => b).ToArray()).reshape(1, 32);
        Assert.All(DistributionIntegral.Apply(logits, 7).data<float>().ToArray(), d => Assert.Equal(3.034487f, d, 5));
    }

    [Fact]
    public void Dfl_golden_value()
    {
        // log Z = ln(1 + e + e² + e³ + e² + e + 1 + e⁻¹) = ln 42.6681 = 3.75346; CE(2) = 1.75346, CE(3) = 0.75346;
        // t = 2.3: 1.75346·0.7 + 0.75346·0.3 = 1.453451.
        using var scope = NewDisposeScope();
        var dfl = new DistributionFocalLoss();
        var raw = dfl.Elementwise(tensor(Bins).reshape(1, 8), tensor(new[] { 2.3f }));
        Assert.Equal(1.453451f, raw.item<float>(), 5);
        // Forward applies loss_weight 0.25 and the normaliser: 0.25 · 1.453451 / 2.
        Assert.Equal(0.25f * 1.453451f / 2, dfl.Forward(tensor(Bins).reshape(1, 8), tensor(new[] { 2.3f }), null, 2).item<float>(), 5);
    }

    [Fact]
    public void Dfl_at_the_last_bin_uses_only_that_bin()
    {
        // t = 7 (R): left = 7 with weight 1, right weight 0 — must not index bin 8.
        using var scope = NewDisposeScope();
        var dfl = new DistributionFocalLoss();
        var raw = dfl.Elementwise(tensor(Bins).reshape(1, 8), tensor(new[] { 7f }));
        Assert.Equal(3.75346f + 1f, raw.item<float>(), 4);
    }

    [Fact]
    public void Qfl_golden_value()
    {
        // Prior 0 (label 2, IoU 0.7): softplus(0.5)·σ(0.5)² = 0.97408·0.38745 = 0.37741;
        //   softplus(−1)·σ(−1)² = 0.31326·0.07233 = 0.02266; (softplus(2) − 2·0.7)·|0.7 − σ(2)|² = 0.72693·0.03269 = 0.02376.
        // Prior 1 (background): 0.04859·0.00225 + 0.79814·0.30232 + 0.74440·0.27560 = 0.00011 + 0.24129 + 0.20516.
        // Sum = 0.870390.
        using var scope = NewDisposeScope();
        var qfl = new QualityFocalLoss();
        var logits = tensor(new float[] { 0.5f, -1.0f, 2.0f, -3.0f, 0.2f, 0.1f }).reshape(2, 3);
        var loss = qfl.Forward(logits, tensor(new long[] { 2, 3 }), tensor(new[] { 0.7f, 0f }), null, 1);
        Assert.Equal(0.870390f, loss.item<float>(), 5);
        var per = qfl.Elementwise(logits, tensor(new long[] { 2, 3 }), tensor(new[] { 0.7f, 0f })).data<float>().ToArray();
        Assert.Equal(0.37741f + 0.02266f + 0.02376f, per[0], 4);
    }

    [Fact]
    public void Iou_and_giou_golden_values()
    {
        // Intersection [5,5,10,10] = 25; union 100 + 150 − 25 = 225 → IoU 1/9. Enclosing [0,0,15,20] = 300:
        // GIoU = 1/9 − (300 − 225)/300 = −0.138889.
        using var scope = NewDisposeScope();
        var a = tensor(new float[] { 0, 0, 10, 10 }).reshape(1, 4);
        var b = tensor(new float[] { 5, 5, 15, 20 }).reshape(1, 4);
        Assert.Equal(0.111111f, BoxOverlaps.PairwiseIoU(a, b).item<float>(), 5);
        Assert.Equal(0.111111f, BoxOverlaps.AlignedIoU(a, b).item<float>(), 5);
        Assert.Equal(-0.138889f, BoxOverlaps.AlignedGIoU(a, b).item<float>(), 5);
    }

    [Fact]
    public void Giou_loss_golden_value()
    {
        // 2.0 · 0.5 · (1 − (−0.138889)) / 1 = 1.138889.
        using var scope = NewDisposeScope();
        var loss = new GIoULoss().Forward(tensor(new float[] { 0, 0, 10, 10 }).reshape(1, 4), tensor(new float[] { 5, 5, 15, 20 }).reshape(1, 4),
            tensor(new[] { 0.5f }), 1);
        Assert.Equal(1.138889f, loss.item<float>(), 5);
    }

    [Fact]
    public void Degenerate_boxes_give_finite_overlaps()
    {
        // Zero-area pair: union and enclosing area floor at 1e-6, so IoU = 0 and GIoU = 0 − (1e-6 − 1e-6)/1e-6 = 0.
        using var scope = NewDisposeScope();
        var p = tensor(new float[] { 3, 3, 3, 3 }).reshape(1, 4);
        Assert.Equal(0f, BoxOverlaps.AlignedGIoU(p, p).item<float>());
        Assert.Equal(0f, BoxOverlaps.PairwiseIoU(p, p).item<float>());
    }

    [Fact]
    public void L1_and_wing_elementwise_values()
    {
        // Wing ω = 1, ε = 0.2: |x| = 0.1 → ln(1.5) = 0.405465; |x| = 2 → 2 − C with C = 1 − ln 6 = −0.791759 → 2.791759;
        // at |x| = ω both branches give ln 6 = 1.791759 (continuous).
        using var scope = NewDisposeScope();
        var wing = new WingLoss();
        var pred = tensor(new float[] { 1.1f, 3f, 2f, 0f });
        var target = tensor(new float[] { 1f, 1f, 1f, 0f });
        Assert.Equal(new[] { 0.405465f, 2.791759f, 1.791759f, 0f }, wing.Elementwise(pred, target).data<float>().ToArray(), new FloatTolerance(1e-5f));
        Assert.Equal(new[] { 0.1f, 2f, 1f, 0f }, new L1Loss().Elementwise(pred, target).data<float>().ToArray(), new FloatTolerance(1e-6f));
        // Forward: 0.25 · (0.1·1 + 2·0.5) / 2.
        Assert.Equal(0.25f * 1.1f / 2, new L1Loss().Forward(pred[..2], target[..2], tensor(new[] { 1f, 0.5f }), 2).item<float>(), 6);
    }
}
