using System.Text.Json;
using NanoDet.Host.Tests.Cli;
using NanoDet.Host.Tests.Inference;

namespace NanoDet.Host.Tests.Pose;

/// <summary><c>nanodet eval --checkpoint</c> on a synthetic val split in pinhole mode prints and writes the pose section.</summary>
public class EvalPoseCliTests
{
    [Fact]
    public void Pinhole_val_split_gets_the_pose_table_json_and_plot_section()
    {
        var dir = TestPaths.NewTempDir("eval-pose");
        var ckpt = PredictFixture.Checkpoint(dir);
        var json = Path.Combine(dir, "eval.json");
        var r = CliProcess.Run(dir, "eval", "--checkpoint", ckpt, "--json", json, "--plots", "plots",
            "--set", "data:val:name=SyntheticArmor", "--set", "data:val:count=4", "--set", "data:val:split=val",
            "--set", "data:val:projection=pinhole", "--set", "data:val:image_size=[400,320]",
            "--set", "data:val:class_names=[B_1,R_1,R_3]", "--set", $"data:val:cache_dir={Path.Combine(dir, "cache")}",
            "--set", "device:batchsize_per_gpu=2", "--set", "device:workers_per_gpu=0");
        Assert.True(r.ExitCode == 0, r.All);
        Assert.Contains("Pose error of matched detections", r.StdOut);
        Assert.Contains("camera data:val:camera", r.StdOut);
        Assert.Single(Directory.GetFiles(Path.Combine(dir, "cache"), "camera.yml", SearchOption.AllDirectories));
        using var doc = JsonDocument.Parse(File.ReadAllText(json));
        Assert.Equal(JsonValueKind.Object, doc.RootElement.GetProperty("metrics").ValueKind);
    }
}
