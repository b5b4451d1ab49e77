using NanoDet.Abstractions.Model;
using NanoDet.Heads.Assigners;
using NanoDet.Heads.Losses;
using NanoDet.Inference.Detections;
using NanoDet.Inference.Errors;
using NanoDet.Inference.Geometry;
using static TorchSharp.torch;

namespace NanoDet.Heads.Tests.Training;

public class NanoDetPlusLossTests
{
    private static readonly DynamicSoftLabelAssigner Dsla = new(new AssignerOptions());

    private static Tensor T(float[] values, params long[] shape) => tensor(values).reshape(shape);

    private static NanoDetPlusLoss Loss(HeadLayout layout, Action<NanoDetPlusLossOptions>? edit = null)
    {
        var o = new NanoDetPlusLossOptions();
        edit?.Invoke(o);
        return new NanoDetPlusLoss(layout, Dsla, o);
    }

    // ---- One prior, all-zero predictions: every term by hand -------------------------------------------------

    /// <summary>
    /// 16×16 input, stride 8: priors (0,0), (8,0), (0,8), (8,8). GT [2,2,14,14] contains only (8,8) strictly.
    /// All-zero outputs: σ = 0.5 everywhere, uniform bins → expectation 3.5 strides = 28 px, so prior 3 decodes to
    /// [−20,−20,36,36] (area 3136, contains the GT): IoU = GIoU = 144/3136 = 0.045918, k = 1, score 0.045918.
    /// </summary>
    private static (Tensor Preds, DetectionTargets Targets) OnePrior(int points)
    {
        var layout = new HeadLayout(1, 7, points, [8]);
        var preds = zeros(1, 4, layout.Channels);
        var pts = points == 0 ? null : T([4, 3, 3, 13, 13, 12, 12, 4], 1, 8);   // TL, BL, BR, TR inside the box
        return (preds, new DetectionTargets([new ImageTargets(T([2, 2, 14, 14], 1, 4), tensor(new long[] { 0 }), pts)], 16, 16));
    }

    // QFL, A = 1: three negatives ln2·0.5² = 0.173287 each; the positive ln2·|0.045918 − 0.5|² = 0.142920 → 0.662780.
    private const float Qfl = 0.662780f;
    // GIoU: w = 0.5, W = max(0.5, 1) = 1: 2 · 0.5 · (1 − 0.045918) / 1 = 0.954082.
    private const float Bbox = 0.954082f;
    // DFL on a uniform distribution is ln 8 = 2.079442 whatever the target (0.75 strides here);
    // 4 box sides: 0.25 · 4 · 0.5 · ln 8 / (4·W = 4) = 0.259930.
    private const float DflBox = 0.259930f;

    [Fact]
    public void Plain_head_terms_by_hand()
    {
        using var scope = NewDisposeScope();
        var (preds, targets) = OnePrior(points: 0);
        var r = Loss(new HeadLayout(1, 7, 0, [8])).Compute(preds, null, targets);
        Assert.Equal(1, r.NumPositives);
        Assert.Equal(Qfl, r.Terms["loss_qfl"], 5);
        Assert.Equal(Bbox, r.Terms["loss_bbox"], 5);
        Assert.Equal(DflBox, r.Terms["loss_dfl"], 5);
        Assert.Equal(Qfl + Bbox + DflBox, r.Total.item<float>(), 5);
        Assert.Equal(["loss_bbox", "loss_dfl", "loss_qfl"], r.Terms.Keys.Order());
    }

    [Fact]
    public void Non_finite_predictions_give_a_non_finite_loss_instead_of_an_exception()
    {
        // The trainer skips and counts a step whose loss is not finite; NaN outputs (e.g. after a bad update) reach
        // the averaging factor of the box terms and used to throw there, ending the run.
        using var scope = NewDisposeScope();
        var (preds, targets) = OnePrior(points: 4);
        preds.fill_(float.NaN);
        var r = Loss(new HeadLayout(1, 7, 4, [8])).Compute(preds, null, targets);
        Assert.False(float.IsFinite(r.Total.item<float>()));
    }

    [Fact]
    public void Four_point_dfl_covers_12_sides_over_4W_or_12W()
    {
        using var scope = NewDisposeScope();
        var (preds, targets) = OnePrior(points: 4);
        var layout = new HeadLayout(1, 7, 4, [8]);
        // Parity (docs/reference.md#losses): 0.25 · 12 · 0.5 · ln 8 / 4 = 0.779791 — three times the box-only value.
        var parity = Loss(layout).Compute(preds, null, targets);
        Assert.Equal(0.779791f, parity.Terms["loss_dfl"], 5);
        Assert.Equal(Qfl, parity.Terms["loss_qfl"], 5);
        Assert.Equal(Bbox, parity.Terms["loss_bbox"], 5);
        // Per-side mean: / (12·W) → 0.259930, exactly 4/12 of parity.
        var perSide = Loss(layout, o => o.LossDfl.Normalizer = DflNormalizer.AllSides).Compute(preds, null, targets);
        Assert.Equal(0.259930f, perSide.Terms["loss_dfl"], 5);
        Assert.Equal(parity.Terms["loss_dfl"] * 4 / 12, perSide.Terms["loss_dfl"], 6);
    }

    [Fact]
    public void L1_corner_loss_by_hand()
    {
        // Corner targets from (8,8), in strides: TL (4,5)/8, BL (5,5)/8, BR (5,4)/8, TR (4,4)/8
        //   = 0.5, 0.625, 0.625, 0.625, 0.625, 0.5, 0.5, 0.5; predictions 3.5 each.
        // Σ|3.5 − t| = 4·3.0 + 4·2.875 = 23.5; loss_pts = 0.25 · 0.5 · 23.5 / 4 = 0.734375. loss_dfl keeps the 4 box sides.
        using var scope = NewDisposeScope();
        var (preds, targets) = OnePrior(points: 4);
        var r = Loss(new HeadLayout(1, 7, 4, [8]), o => o.LossPts.Name = "L1Loss").Compute(preds, null, targets);
        Assert.Equal(0.734375f, r.Terms["loss_pts"], 5);
        Assert.Equal(DflBox, r.Terms["loss_dfl"], 5);
        Assert.Equal(Qfl + Bbox + DflBox + 0.734375f, r.Total.item<float>(), 5);
    }

    [Fact]
    public void Wing_corner_loss_by_hand()
    {
        // |x| = 3.0 and 2.875 are beyond ω = 1: x − C with C = 1 − ln 6 = −0.791759 → 3.791759, 3.666759;
        // Σ = 4·3.791759 + 4·3.666759 = 29.834072; loss_pts = 0.25 · 0.5 · 29.834072 / 4 = 0.932315.
        using var scope = NewDisposeScope();
        var (preds, targets) = OnePrior(points: 4);
        var r = Loss(new HeadLayout(1, 7, 4, [8]), o => o.LossPts.Name = "WingLoss").Compute(preds, null, targets);
        Assert.Equal(0.932315f, r.Terms["loss_pts"], 5);
    }

    [Fact]
    public void Targets_of_the_one_prior_case()
    {
        using var scope = NewDisposeScope();
        var (preds, targets) = OnePrior(points: 4);
        var layout = new HeadLayout(1, 7, 4, [8]);
        var t = Loss(layout).BuildTargets(preds, Abstractions.Geometry.PriorGrid.Priors(16, 16, [8]), targets);
        Assert.Equal(new long[] { 1, 1, 1, 0 }, t.Labels.data<long>().ToArray());    // C = 1 is background
        Assert.Equal(new long[] { 3 }, t.PosIndex.data<long>().ToArray());
        Assert.Equal(0.045918f, t.Scores[3].item<float>(), 5);
        Assert.Equal(new float[] { 2, 2, 14, 14 }, t.BoxTargets.data<float>().ToArray());
        Assert.Equal(new[] { 0.75f, 0.75f, 0.75f, 0.75f, 0.5f, 0.625f, 0.625f, 0.625f, 0.625f, 0.5f, 0.5f, 0.5f },
            t.DistTargets.data<float>().ToArray(), new FloatTolerance(1e-6f));
    }

    [Fact]
    public void Distance_targets_are_clamped_to_reg_max_minus_a_tenth()
    {
        // Only prior (8,8) lies inside [1,2,100,14]: left 7 px = 0.875 strides, right 92 px = 11.5 → 6.9;
        // a corner on the wrong side of the center (TL.x = 12 > cx) encodes to −0.5 → 0.
        using var scope = NewDisposeScope();
        var layout = new HeadLayout(1, 7, 4, [8]);
        var targets = new DetectionTargets([new ImageTargets(T([1, 2, 100, 14], 1, 4), tensor(new long[] { 0 }),
            T([12, 3, 3, 13, 13, 12, 12, 4], 1, 8))], 16, 16);
        var t = Loss(layout).BuildTargets(zeros(1, 4, layout.Channels), Abstractions.Geometry.PriorGrid.Priors(16, 16, [8]), targets);
        Assert.Equal(new long[] { 3 }, t.PosIndex.data<long>().ToArray());
        var row = t.DistTargets[0].data<float>().ToArray();
        Assert.Equal(0.875f, row[0], 5);
        Assert.Equal(6.9f, row[2], 5);
        Assert.Equal(0f, row[4]);
    }

    // ---- A small synthetic batch ---------------------------------------------------------------------------

    private static readonly HeadLayout Batch = new(3, 7, 4, [8, 16]);   // 64×64 input: 64 + 16 = 80 priors, K = 99

    private static DetectionTargets BatchTargets(bool empty = false)
    {
        ImageTargets Img(float[] boxes, long[] labels)
        {
            int m = labels.Length;
            var b = T(boxes, m, 4);
            var x1 = b[.., 0..1]; var y1 = b[.., 1..2]; var x2 = b[.., 2..3]; var y2 = b[.., 3..4];
            var pts = cat([x1 + 2, y1 + 1, x1 + 1, y2 - 2, x2 - 2, y2 - 1, x2 - 1, y1 + 2], 1);
            return new ImageTargets(b, tensor(labels), pts);
        }
        var none = new ImageTargets(zeros(0, 4), zeros(0, int64), zeros(0, 8));
        return empty
            ? new DetectionTargets([none, none, none], 64, 64)
            : new DetectionTargets([Img([10, 12, 40, 30, 30, 30, 60, 58], [0, 2]), Img([4, 4, 28, 52], [1]), none], 64, 64);
    }

    private static (Tensor Preds, Tensor Aux) BatchPreds(int seed)
    {
        var gen = new Generator().manual_seed(seed);
        var preds = (randn([3, 80, Batch.Channels], generator: gen) * 0.5f).requires_grad_();
        var aux = (randn([3, 80, Batch.Channels], generator: gen) * 0.5f).requires_grad_();
        return (preds, aux);
    }

    [Fact]
    public void Batch_with_aux_gives_finite_terms_and_gradients_on_both_heads()
    {
        using var scope = NewDisposeScope();
        var (preds, aux) = BatchPreds(1);
        var r = Loss(Batch).Compute(preds, aux, BatchTargets());
        Assert.Equal(["aux_loss_bbox", "aux_loss_dfl", "aux_loss_qfl", "loss_bbox", "loss_dfl", "loss_qfl"], r.Terms.Keys.Order());
        Assert.All(r.Terms.Values, v => Assert.True(float.IsFinite(v) && v > 0));
        Assert.Equal(r.Terms.Values.Sum(), r.Total.item<float>(), 4);
        Assert.True(r.NumPositives >= 3, $"each of the 3 objects gets at least one prior, got {r.NumPositives}");

        r.Total.backward();
        foreach (var p in new[] { preds, aux })
        {
            var g = p.grad!;
            Assert.True(isfinite(g).all().item<bool>());
            Assert.True(g[.., .., ..3].abs().sum().item<float>() > 0, "class logits get QFL gradients");
            Assert.True(g[.., .., 3..].abs().sum().item<float>() > 0, "bins of positives get GIoU/DFL gradients");
        }
    }

    [Fact]
    public void Regression_gradients_reach_only_positive_priors()
    {
        using var scope = NewDisposeScope();
        var (preds, aux) = BatchPreds(2);
        var loss = Loss(Batch);
        var targets = BatchTargets();
        var r = loss.Compute(preds, aux, targets);
        r.Total.backward();
        var t = loss.BuildTargets(aux, Abstractions.Geometry.PriorGrid.Priors(64, 64, [8, 16]), targets);
        var positive = zeros(3 * 80, @bool).index_put_(tensor(true), t.PosIndex).reshape(3, 80);
        var regGrad = preds.grad![.., .., 3..].abs().sum(2);                        // [B, N]
        Assert.Equal(0f, regGrad.masked_select(positive.logical_not()).sum().item<float>());
        Assert.True((regGrad.masked_select(positive) > 0).all().item<bool>());
    }

    [Fact]
    public void Assignment_comes_from_the_aux_head_and_serves_both_heads()
    {
        using var scope = NewDisposeScope();
        var (preds, aux) = BatchPreds(3);
        var loss = Loss(Batch);
        var targets = BatchTargets();
        var both = loss.Compute(preds, aux, targets);
        // The aux head scored against its own assignment is exactly a main-only call on the aux outputs.
        var auxAlone = loss.Compute(aux, null, targets);
        foreach (var k in new[] { "loss_qfl", "loss_bbox", "loss_dfl" })
            Assert.Equal(auxAlone.Terms[k], both.Terms["aux_" + k], 5);
        // The main head is scored against the aux assignment, not its own.
        var mainAlone = loss.Compute(preds, null, targets);
        Assert.NotEqual(mainAlone.Terms["loss_qfl"], both.Terms["loss_qfl"]);
    }

    [Fact]
    public void No_positive_batch_stays_in_the_graph()
    {
        using var scope = NewDisposeScope();
        var (preds, aux) = BatchPreds(4);
        var r = Loss(Batch).Compute(preds, aux, BatchTargets(empty: true));
        Assert.Equal(0, r.NumPositives);
        Assert.Equal(0f, r.Terms["loss_bbox"]);
        Assert.Equal(0f, r.Terms["loss_dfl"]);
        Assert.Equal(0f, r.Terms["aux_loss_dfl"]);
        Assert.True(r.Terms["loss_qfl"] > 0);
        r.Total.backward();
        Assert.NotNull(preds.grad);
        Assert.Equal(0f, preds.grad![.., .., 3..].abs().sum().item<float>());
        Assert.True(preds.grad[.., .., ..3].abs().sum().item<float>() > 0);
    }

    [Fact]
    public void Dfl_normaliser_ratio_on_the_batch_is_one_third()
    {
        using var scope = NewDisposeScope();
        var (preds, aux) = BatchPreds(5);
        var parity = Loss(Batch).Compute(preds, aux, BatchTargets());
        var perSide = Loss(Batch, o => o.LossDfl.Normalizer = DflNormalizer.AllSides).Compute(preds, aux, BatchTargets());
        Assert.Equal(parity.Terms["loss_dfl"] / 3, perSide.Terms["loss_dfl"], 5);
        Assert.Equal(parity.Terms["aux_loss_dfl"] / 3, perSide.Terms["aux_loss_dfl"], 5);
        Assert.Equal(parity.Terms["loss_qfl"], perSide.Terms["loss_qfl"]);
        Assert.Equal(parity.Terms["loss_bbox"], perSide.Terms["loss_bbox"]);
    }

    [Theory]
    [InlineData("L1Loss")]
    [InlineData("WingLoss")]
    public void Corner_alternatives_add_loss_pts_and_shrink_loss_dfl_to_the_box(string name)
    {
        using var scope = NewDisposeScope();
        var (preds, aux) = BatchPreds(6);
        var dfl = Loss(Batch).Compute(preds, aux, BatchTargets());
        var alt = Loss(Batch, o => o.LossPts.Name = name).Compute(preds, aux, BatchTargets());
        Assert.Contains("loss_pts", alt.Terms.Keys);
        Assert.Contains("aux_loss_pts", alt.Terms.Keys);
        Assert.True(alt.Terms["loss_dfl"] < dfl.Terms["loss_dfl"]);
        Assert.Equal(dfl.Terms["loss_bbox"], alt.Terms["loss_bbox"]);
        Assert.Equal(alt.Terms.Values.Sum(), alt.Total.item<float>(), 4);
        alt.Total.backward();
        Assert.True(isfinite(preds.grad!).all().item<bool>());
    }

    [Fact]
    public void Bad_inputs_are_reported()
    {
        using var scope = NewDisposeScope();
        var loss = Loss(Batch);
        Assert.Throws<ArgumentException>(() => loss.Compute(zeros(3, 80, 98), null, BatchTargets()));
        Assert.Throws<ArgumentException>(() => loss.Compute(zeros(3, 81, 99), null, BatchTargets()));
        var badLabel = new DetectionTargets([new ImageTargets(T([1, 1, 30, 30], 1, 4), tensor(new long[] { 3 }), zeros(1, 8))], 64, 64);
        var e = Assert.Throws<ArgumentException>(() => loss.Compute(zeros(1, 80, 99), null, badLabel));
        Assert.Contains("label 3 is outside [0, 3)", e.Message);
    }
}
