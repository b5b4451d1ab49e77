using System.Text.Json;

namespace NanoDet.Host.Tests.Cli;

/// <summary><c>nanodet eval --annotations --detections</c> through the real executable.</summary>
public class EvalCliTests
{
    private const string GroundTruth = """
        {"images": [{"id": 1, "file_name": "1.jpg"}, {"id": 2, "file_name": "2.jpg"}],
         "annotations": [
           {"id": 1, "image_id": 1, "category_id": 7, "bbox": [0, 0, 20, 10], "area": 200, "iscrowd": 0, "points": [0, 0, 0, 10, 20, 10, 20, 0]}],
         "categories": [{"id": 7, "name": "plate"}, {"id": 9, "name": "base"}]}
        """;

    // Image 1: the object found exactly, corners 1 px off at TL. Image 2 (no ground truth): a higher-scored FP.
    // Order FP, TP → precision 0, 1/2 → AP = 0.5 at every IoU threshold. Corner pair error e = (1+0+0+0)/4 = 0.25.
    private const string Detections = """
        [{"image_id": 1, "category_id": 7, "bbox": [0, 0, 20, 10], "score": 0.9, "points": [1, 0, 0, 10, 20, 10, 20, 0]},
         {"image_id": 2, "category_id": 7, "bbox": [5, 5, 20, 10], "score": 0.95, "points": [5, 5, 5, 15, 25, 15, 25, 5]}]
        """;

    private static (string Dir, string Gt, string Dt) Files(string dets = Detections)
    {
        var dir = TestPaths.NewTempDir("cli-eval");
        string gt = Path.Combine(dir, "gt.json"), dt = Path.Combine(dir, "dt.json");
        File.WriteAllText(gt, GroundTruth);
        File.WriteAllText(dt, dets);
        return (dir, gt, dt);
    }

    [Fact]
    public void Evaluates_precomputed_results_and_writes_json_and_plots()
    {
        var (dir, gt, dt) = Files();
        string json = Path.Combine(dir, "out", "metrics.json"), plots = Path.Combine(dir, "plots");
        var r = CliProcess.Run(dir, "eval", "--annotations", gt, "--detections", dt, "--json", json, "--plots", plots);
        Assert.True(r.ExitCode == 0, r.All);
        Assert.Contains(" Average Precision  (AP) @[ IoU=0.50:0.95 | area=   all | maxDets=100 ] = 0.500", r.StdOut);
        Assert.Contains(" Average Precision  (AP) @[ IoU=0.50:0.95 | area=medium | maxDets=100 ] = -1.000", r.StdOut);
        Assert.Matches(@"\| plate\s+\| 50\.0\s+\| 50\.0\s+\| base\s+\| nan\s+\| nan", r.StdOut);

        using var doc = JsonDocument.Parse(File.ReadAllText(json));
        var m = doc.RootElement.GetProperty("metrics");
        Assert.Equal(0.5, m.GetProperty("mAP").GetDouble(), 12);
        Assert.Equal(-1, m.GetProperty("AP_m").GetDouble());
        Assert.Equal(1, m.GetProperty("AR_100").GetDouble());
        Assert.Equal(1, m.GetProperty("corner_matches").GetDouble());
        Assert.Equal(0.25, m.GetProperty("corner_error_mean_px").GetDouble(), 12);
        var perClass = doc.RootElement.GetProperty("per_class").EnumerateArray().ToArray();
        Assert.Equal("plate", perClass[0].GetProperty("name").GetString());
        Assert.Equal(0.5, perClass[0].GetProperty("AP_50").GetDouble(), 12);
        Assert.Equal(JsonValueKind.Null, perClass[1].GetProperty("mAP").ValueKind);
        Assert.Equal(Path.GetFullPath(gt), doc.RootElement.GetProperty("annotations").GetString());
        Assert.True(File.Exists(Path.Combine(plots, "pr_curve.png")));
        Assert.True(File.Exists(Path.Combine(plots, "corner_error_hist.png")));
        // keypoint AP, P/R/F1 and the confusion matrix reach the JSON and the plots folder
        // OKS of the TP: TL 1 px off on area 200 → (3 + exp(−1/(2·0.1²·200)))/4 = 0.945: TP up to .90, behind the FP → AP 0.5
        // there, 0 at .95 → kpt_mAP 0.45. At score ≥ 0.35 "plate" has FP + TP for one object: P 0.5, R 1, F1 2/3.
        Assert.Equal(0.45, m.GetProperty("kpt_mAP").GetDouble(), 12);
        Assert.Equal(0.5, m.GetProperty("precision").GetDouble(), 12);
        Assert.Equal(1, m.GetProperty("recall").GetDouble(), 12);
        Assert.Equal(2 / 3.0, m.GetProperty("f1").GetDouble(), 12);
        Assert.Equal("plate", doc.RootElement.GetProperty("per_class_prf")[0].GetProperty("name").GetString());
        Assert.Equal("background", doc.RootElement.GetProperty("confusion_matrix").GetProperty("labels").EnumerateArray().Last().GetString());
        Assert.True(File.Exists(Path.Combine(plots, "confusion_matrix.png")));
        Assert.Contains("confusion matrix (rows predicted, columns true", r.StdOut);
    }

    [Fact]
    public void Malformed_results_exit_1_with_one_line_naming_file_and_entry()
    {
        var (dir, gt, dt) = Files("[\n{\"image_id\": 1, \"category_id\": 7, \"bbox\": [0, 0, 20, 10]}\n]");
        var r = CliProcess.Run(dir, "eval", "--annotations", gt, "--detections", dt);
        Assert.Equal(1, r.ExitCode);
        Assert.Equal($"error: {dt}: entry 0 (line 2): missing 'score'", r.StdErr.Trim());
    }

    [Fact]
    public void Missing_file_exits_1()
    {
        var (dir, gt, _) = Files();
        var r = CliProcess.Run(dir, "eval", "--annotations", gt, "--detections", Path.Combine(dir, "nope.json"));
        Assert.Equal(1, r.ExitCode);
        Assert.Contains("nope.json: cannot read", r.StdErr);
    }

    [Fact]
    public void Argument_errors_exit_2()
    {
        var (dir, gt, dt) = Files();
        var missing = CliProcess.Run(dir, "eval", "--annotations", gt);
        Assert.Equal(2, missing.ExitCode);
        Assert.Contains("--detections", missing.StdErr);

        var both = CliProcess.Run(dir, "eval", "--checkpoint", "x.safetensors", "--annotations", gt, "--detections", dt);
        Assert.Equal(2, both.ExitCode);

        var badKey = CliProcess.Run(dir, "eval", "--annotations", gt, "--detections", dt, "--set", "evaluator:save_key=accuracy");
        Assert.Equal(2, badKey.ExitCode);
        Assert.Contains("evaluator:save_key", badKey.StdErr);
    }

    [Fact]
    public void A_missing_checkpoint_is_one_line_naming_the_file()
    {
        // Evaluating a real checkpoint is covered by Training.TrainingCliTests (train, then eval --checkpoint).
        var r = CliProcess.Run(TestPaths.NewTempDir("cwd"), "eval", "--checkpoint", "missing/model.safetensors");
        Assert.Equal(1, r.ExitCode);
        Assert.Contains("missing/model.safetensors: file not found", r.StdErr);
        Assert.DoesNotContain("   at ", r.StdErr);
    }
}
