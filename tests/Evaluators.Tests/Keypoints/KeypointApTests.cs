namespace NanoDet.Evaluators.Tests;

/// <summary>
/// OKS keypoint AP over the four corners on hand-made cases, with pycocotools' <c>iouType='keypoints'</c> rules:
/// OKS = mean_k exp(−d_k² / (2·(2σ_k)²·area)) with the ground truth's area; ground truth without corners
/// (num_keypoints 0) is ignored and matchable once, crowd regions any number of times; a crowd region or
/// corner-less object measures distances to its box grown by its size on each side; area ranges all, medium
/// (32²..96²), large, no small; maxDets 20; detection area = its corners' bounding rectangle. With σ = 0.05
/// (the default) and all corners off by d: OKS = exp(−50·d²/area). The expected values are derived by hand
/// from those rules (AP notation as in <see cref="CocoEvalHandTests"/>; 51/101 = recall thresholds 0.00..0.50),
/// and every case was also run through pycocotools' own COCOeval (cocoapi's Python code with numpy 1.24) by
/// Parity/keypoint_cases.py: all its values agree with these within 1e-15.
/// </summary>
public class KeypointApTests
{
    /// <summary>Corners TL, BL, BR, TR of box [x, y, w, h] shifted by (dx, dy).</summary>
    private static double[] Corners(double x, double y, double w, double h, double dx = 0, double dy = 0) =>
        [x + dx, y + dy, x + dx, y + h + dy, x + w + dx, y + h + dy, x + w + dx, y + dy];

    private static void Kpt(IReadOnlyDictionary<string, double> m, double map, double ap50, double ap75, double apM, double apL, double ar)
    {
        Expect.Close(map, m["kpt_mAP"], "kpt_mAP");
        Expect.Close(ap50, m["kpt_AP_50"], "kpt_AP_50");
        Expect.Close(ap75, m["kpt_AP_75"], "kpt_AP_75");
        Expect.Close(apM, m["kpt_AP_m"], "kpt_AP_m");
        Expect.Close(apL, m["kpt_AP_l"], "kpt_AP_l");
        Expect.Close(ar, m["kpt_AR"], "kpt_AR");
    }

    [Fact]
    public void Small_medium_and_large_objects_split_by_area_range()
    {
        // small 20×20 exact (OKS 1); medium 50×50 off by 4 px: exp(−50·16/2500) = 0.726; large 100×100 off by
        // 10 px: exp(−50·100/10000) = 0.607. Scores 0.9, 0.8, 0.7.
        // all: OKS .50–.60 → TP TP TP (AP 1); .65–.70 → TP TP FP (recall 2/3: 67/101); ≥ .75 → TP FP FP (34/101).
        // medium: only the medium object counts; the others' detections meet ignored ground truth or fall outside
        // the range → TP at .50–.70 (AP 1), else FP (0) → 0.5. large: TP at .50–.60 → 0.3. AR = (3 + 2·2/3 + 5/3)/10.
        var r = new CocoCase().Images(1, 2, 3)
            .Gt(1, 10, 10, 20, 20, points: Corners(10, 10, 20, 20)).Det(1, 10, 10, 20, 20, 0.9, points: Corners(10, 10, 20, 20))
            .Gt(2, 10, 10, 50, 50, points: Corners(10, 10, 50, 50)).Det(2, 14, 10, 50, 50, 0.8, points: Corners(10, 10, 50, 50, dx: 4))
            .Gt(3, 10, 10, 100, 100, points: Corners(10, 10, 100, 100)).Det(3, 10, 20, 100, 100, 0.7, points: Corners(10, 10, 100, 100, dy: 10))
            .Evaluate();
        Kpt(r.Metrics, (3 + 2 * 67 / 101.0 + 5 * 34 / 101.0) / 10, 1, 34 / 101.0, 0.5, 0.3, 0.6);
    }

    [Fact]
    public void Crowd_regions_absorb_any_number_of_detections()
    {
        // Two detections (0.95, 0.93) inside a crowd region's grown box: distance 0, OKS 1 → matched to the crowd
        // region, both ignored. The real object (exact, 0.9) is then the only ranked detection: AP 1 everywhere.
        // Counted as false positives they would halve the precision at recall 1 (AP 1/3).
        var r = new CocoCase().Images(1)
            .Gt(1, 300, 300, 100, 60, crowd: true)
            .Gt(1, 10, 10, 60, 30, points: Corners(10, 10, 60, 30))
            .Det(1, 310, 310, 40, 20, 0.95, points: Corners(310, 310, 40, 20))
            .Det(1, 330, 320, 40, 20, 0.93, points: Corners(330, 320, 40, 20))
            .Det(1, 10, 10, 60, 30, 0.9, points: Corners(10, 10, 60, 30))
            .Evaluate();
        Kpt(r.Metrics, 1, 1, 1, 1, -1, 1); // the object (area 1800) is medium; nothing is large → −1
    }

    [Fact]
    public void Objects_without_corners_are_ignored_but_matched_only_once()
    {
        // A box-only object (num_keypoints 0 in COCO terms) is ignored; the first detection near it (0.95) is
        // matched to it and ignored, the second (0.93) cannot reuse it → FP, before the TP (0.9): precision
        // at the TP = 1/2 → AP 0.5 at every OKS threshold. AR 1. In the medium range (the object's 1800) the FP's
        // own area (800) is outside the range, so it is ignored there → AP_m 1; nothing is large → −1.
        var r = new CocoCase().Images(1)
            .Gt(1, 300, 300, 100, 60)
            .Gt(1, 10, 10, 60, 30, points: Corners(10, 10, 60, 30))
            .Det(1, 310, 310, 40, 20, 0.95, points: Corners(310, 310, 40, 20))
            .Det(1, 330, 320, 40, 20, 0.93, points: Corners(330, 320, 40, 20))
            .Det(1, 10, 10, 60, 30, 0.9, points: Corners(10, 10, 60, 30))
            .Evaluate();
        Kpt(r.Metrics, 0.5, 0.5, 0.5, 1, -1, 1);
    }

    [Fact]
    public void Unmatched_ground_truth_and_detections_count_as_misses_and_false_positives()
    {
        // Image 1: exact detection (0.6). Image 2: an object nobody detected. Image 3: a detection (0.9) with no
        // ground truth. Ranked: FP, TP over 2 objects → recall 0.5 at precision 0.5 → AP = 0.5·51/101 at every
        // threshold; AR 0.5. Every object is 40×40 (area 1600, medium).
        var r = new CocoCase().Images(1, 2, 3)
            .Gt(1, 0, 0, 40, 40, points: Corners(0, 0, 40, 40)).Det(1, 0, 0, 40, 40, 0.6, points: Corners(0, 0, 40, 40))
            .Gt(2, 0, 0, 40, 40, points: Corners(0, 0, 40, 40))
            .Det(3, 0, 0, 40, 40, 0.9, points: Corners(0, 0, 40, 40))
            .Evaluate();
        double ap = 0.5 * 51 / 101;
        Kpt(r.Metrics, ap, ap, ap, ap, -1, 0.5);
    }

    [Fact]
    public void Per_corner_sigmas_weight_each_corner()
    {
        // 100×100 object, BR and TR off by 20 px. σ = 0.05 each: e = 400/(2·0.01·10000) = 2 for those corners →
        // OKS = (2 + 2·e^−2)/4 = 0.568 → TP at .50 and .55 → kpt_mAP 0.2. σ = 0.1 for BR, TR: e = 0.5 →
        // OKS = (2 + 2·e^−0.5)/4 = 0.803 → TP at .50–.80 → 0.7.
        CocoCase Case() => new CocoCase().Images(1)
            .Gt(1, 0, 0, 100, 100, points: Corners(0, 0, 100, 100))
            .Det(1, 0, 0, 120, 100, 0.5, points: [0, 0, 0, 100, 120, 100, 120, 0]);
        Kpt(Case().Evaluate().Metrics, 0.2, 1, 0, -1, 0.2, 0.2);
        var wide = new CocoDetectionEvaluatorOptions { KptOksSigmas = [0.05, 0.05, 0.1, 0.1] };
        Kpt(Case().Evaluate(options: wide).Metrics, 0.7, 1, 1, -1, 0.7, 0.7);
    }

    [Fact]
    public void Oks_uses_the_ground_truth_area_field()
    {
        // Same geometry as the medium case (50×50, off by 4 px) but the file's area is 10,000: OKS =
        // exp(−50·16/10000) = 0.923 → TP at .50–.90 (9 of 10 thresholds), and the object is large, not medium.
        var r = new CocoCase().Images(1)
            .Gt(1, 10, 10, 50, 50, area: 10000, points: Corners(10, 10, 50, 50)).Det(1, 14, 10, 50, 50, 0.8, points: Corners(10, 10, 50, 50, dx: 4))
            .Evaluate();
        // medium: the detection (corner extent 2500) meets the ignored large object at .50–.90 → ignored; at .95
        // it is an unmatched medium-size FP, with no medium ground truth → −1.
        Kpt(r.Metrics, 0.9, 1, 1, -1, 0.9, 0.9);
    }
}
