using System.Text.Json;
using NanoDet.Host.Tests.Cli;
using NanoDet.Host.Tests.Inference;

namespace NanoDet.Host.Tests.Pose;

/// <summary><c>nanodet predict --camera</c> through the real executable.</summary>
public class PredictPoseCliTests
{
    private const string Camera = """
        image_width: 400
        image_height: 300
        camera_matrix:
          rows: 3
          cols: 3
          data: [520, 0, 200, 0, 520, 150, 0, 0, 1]
        distortion_model: plumb_bob
        distortion_coefficients:
          rows: 1
          cols: 5
          data: [0, 0, 0, 0, 0]
        """;

    [Fact]
    public void Camera_adds_a_pose_to_every_detection_with_corners()
    {
        var dir = TestPaths.NewTempDir("predict-pose");
        var ckpt = PredictFixture.Checkpoint(dir);
        var image = PredictFixture.Images(Path.Combine(dir, "in"), 1)[0];
        File.WriteAllText(Path.Combine(dir, "cam.yaml"), Camera);
        var r = CliProcess.Run(dir, "predict", "--checkpoint", ckpt, "--input", image, "--output", "out", "--camera", "cam.yaml");
        Assert.True(r.ExitCode == 0, r.All);
        Assert.Matches(@"poses: \d+ of \d+ detections solved by PnP", r.StdOut);
        using var doc = JsonDocument.Parse(File.ReadAllText(Path.Combine(dir, "out", "predictions.json")));
        var posed = doc.RootElement.EnumerateArray().Where(d => d.TryGetProperty("pose", out _)).ToArray();
        Assert.NotEmpty(posed);
        foreach (var d in posed)
        {
            var p = d.GetProperty("pose");
            Assert.Equal(3, p.GetProperty("rvec").GetArrayLength());
            var t = p.GetProperty("tvec").EnumerateArray().Select(v => v.GetDouble()).ToArray();
            Assert.True(t[2] > 0);
            Assert.Equal(Math.Sqrt(t.Sum(v => v * v)), p.GetProperty("distance").GetDouble(), 9);
            Assert.True(p.TryGetProperty("yaw", out _) && p.TryGetProperty("pitch", out _));
        }
    }

    [Fact]
    public void Broken_calibration_is_one_line_naming_file_and_key()
    {
        var dir = TestPaths.NewTempDir("predict-pose-broken");
        var ckpt = PredictFixture.Checkpoint(dir);
        var image = PredictFixture.Images(Path.Combine(dir, "in"), 1)[0];
        File.WriteAllText(Path.Combine(dir, "cam.yaml"), Camera.Replace("camera_matrix", "camera_matrx", StringComparison.Ordinal));
        var r = CliProcess.Run(dir, "predict", "--checkpoint", ckpt, "--input", image, "--output", "out", "--camera", "cam.yaml");
        Assert.NotEqual(0, r.ExitCode);
        var line = Assert.Single(r.StdErr.Split('\n'), l => l.Contains("cam.yaml"));
        Assert.Contains("camera_matrix: missing", line);
    }
}
