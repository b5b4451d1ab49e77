namespace NanoDet.Evaluators.Tests;

/// <summary>Corner errors, PCK and quadrilateral AP on hand-made quads (corner order TL, BL, BR, TR).</summary>
public class CornerMetricsTests
{
    /// <summary>Corners of the box [x, y, w, h] moved by (dx, dy) per corner.</summary>
    private static double[] Corners(double x, double y, double w, double h, params (double Dx, double Dy)[] moves)
    {
        double[] p = [x, y, x, y + h, x + w, y + h, x + w, y];
        for (int k = 0; k < moves.Length; k++)
        {
            p[2 * k] += moves[k].Dx;
            p[2 * k + 1] += moves[k].Dy;
        }
        return p;
    }

    [Fact]
    public void Errors_pck_and_skips_on_hand_made_pairs()
    {
        // Exact boxes everywhere, so every detection matches its object (box IoU 1).
        // g1 [0,0,20,10]:   corner moves (1,0) (0,0) (0,3) (0,0)     → distances 1, 0, 3, 0 → e = 1;    diagonal √500
        // g2 [100,0,40,30]: corner moves (6,0) (0,8) (3,4) (0,0)     → distances 6, 8, 5, 0 → e = 4.75; diagonal 50
        // g3 [200,0,10,10]: exact corners                              → e = 0
        // g4 [300,0,20,20] has no corners (detection has)            → matched, skipped
        // g5 [400,0,20,20] has corners, its detection has none       → matched, skipped
        // crowd [500,0,50,50] with an exact detection                → crowd regions are not matched
        // mean e = (1 + 4.75 + 0)/3 = 1.91667, median 1;  e/diag: 1/√500 = 0.044721, 4.75/50 = 0.095, 0 →
        // mean 0.046574, median 0.044721. PCK@2: corners ≤ 2 px: {1,0,0} + {0} + {0,0,0,0} = 8 of 12;
        // PCK@5: {1,0,3,0} + {5,0} + 4 = 10 of 12.
        var r = new CocoCase().Images(1)
            .Gt(1, 0, 0, 20, 10, points: Corners(0, 0, 20, 10))
            .Gt(1, 100, 0, 40, 30, points: Corners(100, 0, 40, 30))
            .Gt(1, 200, 0, 10, 10, points: Corners(200, 0, 10, 10))
            .Gt(1, 300, 0, 20, 20)
            .Gt(1, 400, 0, 20, 20, points: Corners(400, 0, 20, 20))
            .Gt(1, 500, 0, 50, 50, crowd: true)
            .Det(1, 0, 0, 20, 10, 0.9, points: Corners(0, 0, 20, 10, (1, 0), (0, 0), (0, 3), (0, 0)))
            .Det(1, 100, 0, 40, 30, 0.8, points: Corners(100, 0, 40, 30, (6, 0), (0, 8), (3, 4), (0, 0)))
            .Det(1, 200, 0, 10, 10, 0.7, points: Corners(200, 0, 10, 10))
            .Det(1, 300, 0, 20, 20, 0.6, points: Corners(300, 0, 20, 20))
            .Det(1, 400, 0, 20, 20, 0.5)
            .Det(1, 500, 0, 50, 50, 0.4, points: Corners(500, 0, 50, 50))
            .Evaluate();
        var m = r.Metrics;
        Assert.Equal(3, m["corner_matches"]);
        Assert.Equal(2, m["corner_skipped_pairs"]);
        Expect.Close(5.75 / 3, m["corner_error_mean_px"]);
        Expect.Close(1, m["corner_error_median_px"]);
        Expect.Close(4.75, m["corner_error_p90_px"]);                // nearest rank: the 3rd of {0, 1, 4.75}
        Expect.Close((1 / Math.Sqrt(500) + 4.75 / 50) / 3, m["corner_error_mean_norm"]);
        Expect.Close(1 / Math.Sqrt(500), m["corner_error_median_norm"]);
        Expect.Close(8.0 / 12, m["corner_pck_2px"]);
        Expect.Close(10.0 / 12, m["corner_pck_5px"]);
        Assert.Contains("matched pairs measured: 3 (2 matched pairs skipped for lack of corners; 1 detections and 1 non-crowd ground-truth objects have no corners)", r.Text);
    }

    [Fact]
    public void Matching_is_greedy_by_score_not_by_best_overlap()
    {
        // One object [0,0,20,20]. d_hi (.9): box shifted 3 px (IoU 340/460 = 0.74), corners all 3 px off (e = 3).
        // d_lo (.8): exact box and corners (e = 0). The higher score claims the object first → e = 3, one pair.
        var r = new CocoCase().Images(1)
            .Gt(1, 0, 0, 20, 20, points: Corners(0, 0, 20, 20))
            .Det(1, 3, 0, 20, 20, 0.9, points: Corners(3, 0, 20, 20))
            .Det(1, 0, 0, 20, 20, 0.8, points: Corners(0, 0, 20, 20))
            .Evaluate();
        Assert.Equal(1, r.Metrics["corner_matches"]);
        Expect.Close(3, r.Metrics["corner_error_mean_px"]);
    }

    [Fact]
    public void Matching_needs_the_configured_box_iou()
    {
        // Box shifted 8 px: IoU = 12·20 / (800 − 240) = 240/560 = 0.43 < 0.5 → no pair; with corner_match_iou 0.4 → one pair, e = 8.
        var c = new CocoCase().Images(1)
            .Gt(1, 0, 0, 20, 20, points: Corners(0, 0, 20, 20))
            .Det(1, 8, 0, 20, 20, 0.9, points: Corners(8, 0, 20, 20));
        Assert.Equal(0, c.Evaluate().Metrics["corner_matches"]);
        var loose = c.Evaluate(options: new CocoDetectionEvaluatorOptions { CornerMatchIou = 0.4 });
        Assert.Equal(1, loose.Metrics["corner_matches"]);
        Expect.Close(8, loose.Metrics["corner_error_mean_px"]);
    }

    [Fact]
    public void Quad_ap_uses_polygon_iou()
    {
        // Image 1: square [0,0,10,10]; the detection's box is exact (box IoU 1 → mAP 1) but its corners are
        // shifted 1 px right: quad IoU = 90/110 = 0.818 → TP for t = .50 … .80 (7 of 10) → quad_AP_50 1, quad_mAP 0.7.
        // Image 2: an object without corners and a detection on it: an ignore region for quad AP (no effect).
        var r = new CocoCase().Images(1, 2)
            .Gt(1, 0, 0, 10, 10, points: Corners(0, 0, 10, 10))
            .Gt(2, 0, 0, 10, 10)
            .Det(1, 0, 0, 10, 10, 0.9, points: Corners(1, 0, 10, 10))
            .Det(2, 0, 0, 10, 10, 0.95, points: Corners(0, 0, 10, 10))
            .Evaluate();
        Expect.Close(1, r.Metrics["mAP"]);
        Expect.Close(1, r.Metrics["quad_AP_50"]);
        Expect.Close(0.7, r.Metrics["quad_mAP"]);
    }

    [Fact]
    public void Quad_ap_of_a_concave_plate()
    {
        // Arrowhead corners (0,0) (2,1) (4,0) (2,3) (area 4) detected exactly → quad IoU 1 → quad_mAP 1. A second
        // detection with the reflex corner pushed up to (2,2) (shoelace area 2, inside the arrow: IoU 2/4 = 0.5)
        // finds the object taken → FP, ranked after the TP → AP unchanged.
        double[] arrow = [0, 0, 2, 1, 4, 0, 2, 3];
        var r = new CocoCase().Images(1)
            .Gt(1, 0, 0, 4, 3, points: arrow)
            .Det(1, 0, 0, 4, 3, 0.9, points: arrow)
            .Det(1, 0, 0, 4, 3, 0.8, points: [0, 0, 2, 2, 4, 0, 2, 3])
            .Evaluate();
        Expect.Close(1, r.Metrics["quad_mAP"]);
    }

    [Fact]
    public void Without_corners_in_the_ground_truth_no_corner_metric_is_reported()
    {
        var r = new CocoCase().Images(1).Gt(1, 0, 0, 20, 20).Det(1, 0, 0, 20, 20, 0.9).Evaluate();
        Assert.DoesNotContain("quad_mAP", r.Metrics.Keys);
        Assert.DoesNotContain("corner_matches", r.Metrics.Keys);
        Assert.Contains("corner metrics: not computed", r.Text);
    }
}
