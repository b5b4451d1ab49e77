namespace NanoDet.Evaluators.Tests;

/// <summary>
/// COCOeval rules on cases small enough to derive by hand. Notation: TP/FP/IGN per detection in score order;
/// rc = cumulative TP / (non-ignored GT); pr = TP / (TP + FP), made non-increasing from the right; AP = mean
/// of pr sampled at the 101 recall thresholds r = 0.00, 0.01, …, 1.00 (first position with rc ≥ r; 0 past the
/// end). "−1" = no ground truth in that area range (pycocotools' marker, kept by us). Where a hand value is
/// 1 the code gives 1/(1 + 2^-52) = 0.9999999999999998 when a single TP makes up the curve (pycocotools adds
/// numpy's spacing(1) to the denominator), hence the 1e-12 tolerance. The expected values of every case that
/// pycocotools can run (all but "no detections", where its loadRes fails) were also checked against it once
/// and agree, except the annotation-id-0 case, which documents where we deliberately differ.
/// </summary>
public class CocoEvalHandTests
{
    private const double N = -1; // no ground truth in the range

    [Fact]
    public void Perfect_detections_give_one_everywhere_there_is_ground_truth()
    {
        // Image 1: a 10x10 object (area 100: small). Image 2: a 100x100 object (area 10,000: large). Exact boxes.
        // Every IoU is 1 → TP at all 10 thresholds. No medium object → AP_m = AR_m = −1.
        var r = new CocoCase().Images(1, 2)
            .Gt(1, 0, 0, 10, 10).Gt(2, 0, 0, 100, 100)
            .Det(1, 0, 0, 10, 10, 0.9).Det(2, 0, 0, 100, 100, 0.8)
            .Evaluate();
        Expect.Stats(r.Metrics, 1, 1, 1, 1, N, 1, 1, 1, 1, 1, N, 1);
        Expect.Close(1, r.PerClass[0].Ap50);
        Expect.Close(1, r.PerClass[0].Map);
    }

    [Fact]
    public void No_detections_at_all_reports_every_metric_as_zero()
    {
        // NanoDet skips COCOeval when the result list is empty and returns 0 for every key.
        var r = new CocoCase().Images(1).Gt(1, 0, 0, 20, 20).Evaluate();
        Expect.Stats(r.Metrics, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0);
        Assert.Contains("no detections at all", r.Text);
        Assert.Equal(0, r.PerClass[0].Ap50); // the class has GT and nothing detected it
    }

    [Fact]
    public void One_false_positive_among_true_ones()
    {
        // 3 disjoint 20x20 GTs (small). Scores: TP .9, FP .8 (far away), TP .7, TP .6.
        // tp = 1,1,2,3  fp = 0,1,1,1  rc = 1/3,1/3,2/3,1  pr = 1,1/2,2/3,3/4 → right max 1,3/4,3/4,3/4.
        // r = 0.00..0.33 (34 thresholds) → index 0 → 1;  r = 0.34..1.00 (67) → 3/4.
        // AP = (34 + 67·0.75)/101 = 84.25/101 = 0.834158…, the same at every IoU (exact boxes).
        // AR_1: the top detection alone finds 1 of 3.
        double ap = 84.25 / 101;
        var r = new CocoCase().Images(1)
            .Gt(1, 0, 0, 20, 20).Gt(1, 50, 0, 20, 20).Gt(1, 100, 0, 20, 20)
            .Det(1, 0, 0, 20, 20, 0.9).Det(1, 300, 300, 20, 20, 0.8).Det(1, 50, 0, 20, 20, 0.7).Det(1, 100, 0, 20, 20, 0.6)
            .Evaluate();
        Expect.Stats(r.Metrics, ap, ap, ap, ap, N, N, 1.0 / 3, 1, 1, 1, N, N);
    }

    [Fact]
    public void Crowd_region_ignores_detections_inside_it_with_detection_area_as_denominator()
    {
        // GT A = [0,0,20,20]; crowd C = [100,100,100,100]. d3 = [180,110,40,20] (.95), d1 = A (.9), d2 = [110,110,20,20] (.8).
        // Crowd IoU = intersection / detection area: d2 400/400 = 1 → matched to C → IGN at every threshold.
        // d3: intersection 20x20 = 400, own area 800 → 0.5: IGN at t = .50, unmatched (FP) at t ≥ .55.
        // (As a normal GT, C would give d3 IoU 400/(800+10000-400) ≈ 0.04.) Only A is non-ignored: npig = 1.
        // t = .50: IGN, TP, IGN → rc 0,1,1 pr 0,1,1 → AP 1.   t ≥ .55: FP, TP, IGN → pr 0,1/2,1/2 → AP 1/2.
        // mAP = (1 + 9·0.5)/10 = 0.55. AR_1: only d3 counts → recall 0. AR_10 = AR_100 = 1.
        var r = new CocoCase().Images(1)
            .Gt(1, 0, 0, 20, 20).Gt(1, 100, 100, 100, 100, crowd: true)
            .Det(1, 180, 110, 40, 20, 0.95).Det(1, 0, 0, 20, 20, 0.9).Det(1, 110, 110, 20, 20, 0.8)
            .Evaluate();
        Expect.Stats(r.Metrics, 0.55, 1, 0.5, 0.55, N, N, 0, 1, 1, 1, N, N);
    }

    [Fact]
    public void Crowd_region_does_not_take_a_match_from_a_normal_object()
    {
        // GT A = [0,0,20,20] and a crowd region with the same box (listed after it; ignored GTs are sorted last).
        // det [2,0,20,20]: IoU with A = 360/440 = 0.818; crowd IoU = 360/400 = 0.9. Matching takes A first and
        // stops at the ignored block once it holds a non-ignored match → TP for t ≤ .80 (7 of 10 thresholds).
        // AP50 = AP75 = 1, mAP = 0.7, AR = 0.7.
        var r = new CocoCase().Images(1)
            .Gt(1, 0, 0, 20, 20).Gt(1, 0, 0, 20, 20, crowd: true)
            .Det(1, 2, 0, 20, 20, 0.9)
            .Evaluate();
        Expect.Stats(r.Metrics, 0.7, 1, 1, 0.7, N, N, 0.7, 0.7, 0.7, 0.7, N, N);
    }

    [Fact]
    public void Detection_on_an_image_without_ground_truth_is_a_false_positive()
    {
        // Image 1: GT + exact det (.9). Image 2: no GT, det (.95) → FP. Order FP, TP → pr 0, 1/2 → right max 1/2, 1/2 → AP 0.5.
        var r = new CocoCase().Images(1, 2)
            .Gt(1, 0, 0, 20, 20)
            .Det(1, 0, 0, 20, 20, 0.9).Det(2, 0, 0, 20, 20, 0.95)
            .Evaluate();
        Expect.Stats(r.Metrics, 0.5, 0.5, 0.5, 0.5, N, N, 1, 1, 1, 1, N, N);
    }

    [Fact]
    public void Class_without_detections_counts_zero_and_class_without_ground_truth_is_left_out()
    {
        // x: GT + exact det → AP 1.  y: GT, no detection → precision 0 everywhere → AP 0.
        // z: a detection but no GT → npig = 0 → −1 → excluded from every mean. mAP = (1 + 0)/2 = 0.5.
        var r = new CocoCase().Category(1, "x").Category(2, "y").Category(3, "z").Images(1)
            .Gt(1, 0, 0, 20, 20, category: 1).Gt(1, 50, 0, 20, 20, category: 2)
            .Det(1, 0, 0, 20, 20, 0.9, category: 1).Det(1, 200, 0, 20, 20, 0.9, category: 3)
            .Evaluate();
        Expect.Stats(r.Metrics, 0.5, 0.5, 0.5, 0.5, N, N, 0.5, 0.5, 0.5, 0.5, N, N);
        Assert.Equal(["x", "y", "z"], r.PerClass.Select(c => c.Name));
        Expect.Close(1, r.PerClass[0].Map);
        Expect.Close(0, r.PerClass[1].Map);
        Assert.True(double.IsNaN(r.PerClass[2].Map) && double.IsNaN(r.PerClass[2].Ap50));
        Assert.Matches(@"\| z\s+\| nan\s+\| nan", r.Text);
    }

    [Fact]
    public void MaxDets_counts_detections_per_image_in_score_order()
    {
        // 9 FPs (.99 … .91) above the TP (.5, rank 10). maxDets 1 → recall 0; maxDets 10 and 100 → recall 1.
        // AP (maxDets 100): 9 FPs then TP → pr at the TP = 1/10, the only value → every threshold samples 0.1.
        var c = new CocoCase().Images(1).Gt(1, 0, 0, 20, 20);
        for (int i = 0; i < 9; i++) c.Det(1, 100 + 30 * i, 100, 20, 20, 0.99 - 0.01 * i);
        var r = c.Det(1, 0, 0, 20, 20, 0.5).Evaluate();
        Expect.Stats(r.Metrics, 0.1, 0.1, 0.1, 0.1, N, N, 0, 1, 1, 1, N, N);
    }

    [Theory]
    [InlineData(99, 0.01, 1.0)] // the TP is the 100th detection: kept → pr = 1/100, recall 1
    [InlineData(100, 0.0, 0.0)] // the TP is the 101st: cut by maxDets = 100 → nothing found
    public void Detections_beyond_the_hundredth_on_an_image_are_dropped(int falsePositivesAbove, double ap, double ar100)
    {
        var c = new CocoCase().Images(1).Gt(1, 0, 0, 20, 20);
        for (int i = 0; i < falsePositivesAbove; i++) c.Det(1, 100 + 3 * i, 100, 20, 20, 0.99 - 0.001 * i);
        var r = c.Det(1, 0, 0, 20, 20, 0.5).Evaluate();
        Expect.Close(ap, r.Metrics["mAP"], "mAP");
        Expect.Close(ar100, r.Metrics["AR_100"], "AR_100");
        Expect.Close(0, r.Metrics["AR_10"], "AR_10");
    }

    [Fact]
    public void Duplicate_detection_of_a_matched_object_is_a_false_positive()
    {
        // GTs A, B. Dets: A (.9), A again (.8), B (.7) → TP, FP, TP: rc .5,.5,1  pr 1,1/2,2/3 → right max 1,2/3,2/3.
        // r = 0.00..0.50 (51) → 1;  r = 0.51..1.00 (50) → 2/3.  AP = (51 + 50·2/3)/101 = 0.834983…
        double ap = (51 + 50 * 2.0 / 3) / 101;
        var r = new CocoCase().Images(1)
            .Gt(1, 0, 0, 20, 20).Gt(1, 50, 0, 20, 20)
            .Det(1, 0, 0, 20, 20, 0.9).Det(1, 0, 0, 20, 20, 0.8).Det(1, 50, 0, 20, 20, 0.7)
            .Evaluate();
        Expect.Stats(r.Metrics, ap, ap, ap, ap, N, N, 0.5, 1, 1, 1, N, N);
    }

    [Fact]
    public void Area_ranges_have_inclusive_bounds_so_1024_and_9216_count_twice()
    {
        // g1 32x32 (area 1024: small AND medium), g2 96x96 (9216: medium AND large), g3 20x25 (500: small),
        // g4 200x100 (20,000: large). Exact dets for g2 (.8), g3 (.7), g4 (.6); g1 is missed.
        // small: non-ignored g1, g3 (npig 2); g2, g4 are ignored there and so are their dets → TP(g3) only:
        //        rc = 1/2 → r ≤ .50 (51 thresholds) → 1, else 0 → AP = 51/101; AR = 1/2.
        // medium: g1, g2 → TP(g2) → AP 51/101, AR 1/2.   large: g2, g4 both found → AP 1, AR 1.
        // all: 4 GTs, 3 TPs → rc .25,.5,.75 pr 1 → r ≤ .75 (76) → 1 → AP = 76/101; AR_100 = .75.
        // AR_1: one detection per image → 1 of 4.
        double half = 51.0 / 101, all = 76.0 / 101;
        var r = AreaCase(1024).Evaluate();
        Expect.Stats(r.Metrics, all, all, all, half, half, 1, 0.25, 0.75, 0.75, 0.5, 0.5, 1);
    }

    [Fact]
    public void Area_just_above_1024_is_medium_only()
    {
        // g1's area field 1024.0001: no longer small. small: g3 alone → found → AP_small 1, AR_small 1.
        var r = AreaCase(1024.0001).Evaluate();
        Expect.Close(1, r.Metrics["AP_small"], "AP_small");
        Expect.Close(1, r.Metrics["AR_small"], "AR_small");
        Expect.Close(51.0 / 101, r.Metrics["AP_m"], "AP_m");
    }

    [Fact]
    public void The_area_field_not_the_box_decides_the_range()
    {
        // A 10x10 box whose annotation says area 2000 is a medium object; a 50x50 box with area 900 is small.
        var r = new CocoCase().Images(1)
            .Gt(1, 0, 0, 10, 10, area: 2000).Gt(1, 100, 100, 50, 50, area: 900)
            .Det(1, 0, 0, 10, 10, 0.9).Det(1, 100, 100, 50, 50, 0.8)
            .Evaluate();
        Expect.Close(1, r.Metrics["AR_m"], "AR_m");
        Expect.Close(1, r.Metrics["AR_small"], "AR_small");
        Assert.Equal(-1, r.Metrics["AP_l"]);
    }

    [Fact]
    public void Unmatched_detection_outside_an_area_range_is_ignored_in_that_range()
    {
        // GT 20x20 (small) found by a det (.8); an unmatched 100x100 det (.9, area 10,000: large).
        // all: FP then TP → AP 0.5.  small: the large FP is outside the range → IGN → TP alone → AP 1.
        var r = new CocoCase().Images(1)
            .Gt(1, 0, 0, 20, 20)
            .Det(1, 0, 0, 20, 20, 0.8).Det(1, 300, 300, 100, 100, 0.9)
            .Evaluate();
        Expect.Stats(r.Metrics, 0.5, 0.5, 0.5, 1, N, N, 0, 1, 1, 1, N, N);
    }

    [Theory]
    [InlineData(false, 1.0)] // the TP is on image 1: after the stable sort it comes first → AP 1
    [InlineData(true, 0.5)]  // the TP is on image 2: the FP of image 1 comes first → pr 0, 1/2 → AP 0.5
    public void Score_ties_across_images_keep_image_id_order(bool truePositiveOnSecondImage, double ap)
    {
        // Both detections score 0.5. The results file lists image 2 first; order is by image id, not file order.
        int gtImage = truePositiveOnSecondImage ? 2 : 1;
        var r = new CocoCase().Images(2, 1)
            .Gt(gtImage, 0, 0, 20, 20)
            .Det(2, 0, 0, 20, 20, 0.5).Det(1, 0, 0, 20, 20, 0.5)
            .Evaluate();
        Expect.Close(ap, r.Metrics["mAP"]);
    }

    [Theory]
    [InlineData(true, 1.0)]
    [InlineData(false, 0.5)]
    public void Score_ties_within_an_image_keep_input_order(bool truePositiveListedFirst, double ap)
    {
        // Same score 0.5: the detection listed first in the results file is ranked first.
        var c = new CocoCase().Images(1).Gt(1, 0, 0, 20, 20);
        if (truePositiveListedFirst) c.Det(1, 0, 0, 20, 20, 0.5).Det(1, 200, 0, 20, 20, 0.5);
        else c.Det(1, 200, 0, 20, 20, 0.5).Det(1, 0, 0, 20, 20, 0.5);
        Expect.Close(ap, c.Evaluate().Metrics["mAP"]);
    }

    [Fact]
    public void Ignore_flag_without_iscrowd_counts_as_normal_ground_truth_like_pycocotools()
    {
        // pycocotools overwrites "ignore" with iscrowd. 2 GTs (one flagged ignore), 1 found → AP = 51/101, AR 0.5.
        var r = new CocoCase().Images(1)
            .Gt(1, 0, 0, 20, 20, ignore: true).Gt(1, 50, 0, 20, 20)
            .Det(1, 0, 0, 20, 20, 0.9)
            .Evaluate();
        Expect.Close(51.0 / 101, r.Metrics["mAP"]);
        Expect.Close(0.5, r.Metrics["AR_100"]);
        Assert.Contains("\"ignore\": 1 but iscrowd 0", r.Text);
    }

    [Fact]
    public void Ground_truth_with_annotation_id_0_is_matched_normally_unlike_pycocotools()
    {
        // Deviation (docs/evaluation.md): pycocotools stores the matched GT's id as the match flag, so a match to
        // annotation id 0 reads as "unmatched" and the exact detection below counts as a false positive:
        // pycocotools reports mAP 0 and AR 0 for this file. Ids play no part in our matching: mAP 1, AR 1.
        var r = new CocoCase().Images(1)
            .Gt(1, 0, 0, 20, 20, id: 0)
            .Det(1, 0, 0, 20, 20, 0.9)
            .Evaluate();
        Expect.Close(1, r.Metrics["mAP"]);
        Expect.Close(1, r.Metrics["AR_100"]);
    }

    [Fact]
    public void Summary_lines_are_pycocotools_lines()
    {
        var r = new CocoCase().Images(1, 2).Gt(1, 0, 0, 20, 20).Det(1, 0, 0, 20, 20, 0.9).Det(2, 0, 0, 20, 20, 0.95).Evaluate();
        Assert.Contains(" Average Precision  (AP) @[ IoU=0.50:0.95 | area=   all | maxDets=100 ] = 0.500\n", r.Text);
        Assert.Contains(" Average Precision  (AP) @[ IoU=0.75      | area=   all | maxDets=100 ] = 0.500\n", r.Text);
        Assert.Contains(" Average Precision  (AP) @[ IoU=0.50:0.95 | area=medium | maxDets=100 ] = -1.000\n", r.Text);
        Assert.Contains(" Average Recall     (AR) @[ IoU=0.50:0.95 | area=   all | maxDets=  1 ] = 1.000\n", r.Text);
    }

    private static CocoCase AreaCase(double g1Area) => new CocoCase().Images(1)
        .Gt(1, 0, 0, 32, 32, area: g1Area).Gt(1, 100, 100, 96, 96).Gt(1, 300, 0, 20, 25).Gt(1, 400, 300, 200, 100)
        .Det(1, 100, 100, 96, 96, 0.8).Det(1, 300, 0, 20, 25, 0.7).Det(1, 400, 300, 200, 100, 0.6);
}
