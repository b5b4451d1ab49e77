using System.Text.Json;
using NanoDet.Host.Tests.Cli;
using OpenCvSharp;

namespace NanoDet.Host.Tests.Inference;

/// <summary><c>nanodet predict</c> through the real executable on small generated files.</summary>
public class PredictCliTests
{
    [Fact]
    public void Single_image_writes_annotated_copy_and_coco_results_with_points()
    {
        var dir = TestPaths.NewTempDir("predict-image");
        var ckpt = PredictFixture.Checkpoint(dir);
        var image = PredictFixture.Images(Path.Combine(dir, "in"), 1)[0];
        var r = CliProcess.Run(dir, "predict", "--checkpoint", ckpt, "--input", image, "--output", "out", "--draw-threshold", "0.3");
        Assert.True(r.ExitCode == 0, r.All);
        Assert.Contains("1 images processed, 0 skipped", r.StdOut);
        // libtorch's per-call C++ warnings (NNPACK on the build machine) are silenced by the host.
        Assert.DoesNotContain("NNPACK", r.All);

        var annotated = Path.Combine(dir, "out", "img00.png");
        using (var original = Cv2.ImRead(image))
        using (var drawn = Cv2.ImRead(annotated))
        {
            Assert.Equal(original.Size(), drawn.Size());
            Assert.True(Cv2.Norm(original, drawn, NormTypes.L1) > 0, "nothing was drawn");
        }
        using var doc = JsonDocument.Parse(File.ReadAllText(Path.Combine(dir, "out", "predictions.json")));
        var dets = doc.RootElement.EnumerateArray().ToArray();
        Assert.NotEmpty(dets);
        foreach (var d in dets)
        {
            Assert.Equal("img00.png", d.GetProperty("file_name").GetString());
            Assert.Equal(1, d.GetProperty("image_id").GetInt32());
            Assert.InRange(d.GetProperty("category_id").GetInt32(), 1, 3);
            Assert.Equal(4, d.GetProperty("bbox").GetArrayLength());
            Assert.Equal(8, d.GetProperty("points").GetArrayLength());
            var b = d.GetProperty("bbox").EnumerateArray().Select(v => v.GetDouble()).ToArray();
            Assert.True(b[0] >= 0 && b[1] >= 0 && b[0] + b[2] <= 400.001 && b[1] + b[3] <= 300.001, "box inside the original 400x300 image");
        }
        var scores = dets.Select(d => d.GetProperty("score").GetDouble()).ToArray();
        Assert.Equal(scores.OrderByDescending(s => s), scores);
    }

    [Fact]
    public void Folder_with_a_broken_file_reports_it_and_processes_the_rest()
    {
        var dir = TestPaths.NewTempDir("predict-folder");
        var ckpt = PredictFixture.Checkpoint(dir);
        var input = Path.Combine(dir, "in");
        PredictFixture.Images(input, 2);
        Directory.CreateDirectory(Path.Combine(input, "sub"));
        PredictFixture.Images(Path.Combine(input, "sub"), 1);
        File.WriteAllBytes(Path.Combine(input, "broken.jpg"), [0xFF, 0xD8, 0xFF, 0x00, 0x11, 0x22]);
        File.WriteAllText(Path.Combine(input, "notes.txt"), "not an image");

        var r = CliProcess.Run(dir, "predict", "--checkpoint", ckpt, "--input", input, "--output", "out");
        Assert.True(r.ExitCode == 0, r.All);
        Assert.Contains("3 images processed, 1 skipped", r.StdOut);
        Assert.Single(r.StdErr.Split('\n'), l => l.Contains("broken.jpg") && l.Contains("skipped"));
        Assert.True(File.Exists(Path.Combine(dir, "out", "img00.png")));
        Assert.True(File.Exists(Path.Combine(dir, "out", "sub", "img00.png")));
        Assert.False(File.Exists(Path.Combine(dir, "out", "broken.jpg")));

        using var doc = JsonDocument.Parse(File.ReadAllText(Path.Combine(dir, "out", "predictions.json")));
        var files = doc.RootElement.EnumerateArray().Select(d => d.GetProperty("file_name").GetString()).Distinct().ToArray();
        Assert.Equal(new[] { "img00.png", "img01.png", Path.Combine("sub", "img00.png") }, files);
    }

    [Fact]
    public void Video_gives_an_annotated_video_and_per_frame_results()
    {
        var dir = TestPaths.NewTempDir("predict-video");
        var ckpt = PredictFixture.Checkpoint(dir);
        var video = PredictFixture.Video(Path.Combine(dir, "in"), frames: 5);
        var r = CliProcess.Run(dir, "predict", "--checkpoint", ckpt, "--input", video, "--output", "out");
        Assert.True(r.ExitCode == 0, r.All);
        Assert.Contains("5 frames processed, 0 skipped", r.StdOut);
        Assert.Matches(@"[0-9.]+ frames/s overall", r.StdOut);

        var written = Directory.GetFiles(Path.Combine(dir, "out"), "clip.*").Single();
        using (var capture = new VideoCapture(written))
        {
            Assert.True(capture.IsOpened());
            int frames = 0;
            using var frame = new Mat();
            while (capture.Read(frame) && !frame.Empty())
            {
                Assert.Equal(new Size(320, 240), frame.Size());
                frames++;
            }
            Assert.Equal(5, frames);
        }
        using var doc = JsonDocument.Parse(File.ReadAllText(Path.Combine(dir, "out", "predictions.json")));
        var frameIds = doc.RootElement.EnumerateArray().Select(d => d.GetProperty("frame").GetInt32()).Distinct().Order().ToArray();
        Assert.Equal(new[] { 0, 1, 2, 3, 4 }, frameIds);
        Assert.All(doc.RootElement.EnumerateArray(), d => Assert.Equal("clip.avi", d.GetProperty("file_name").GetString()));
    }

    [Fact]
    public void Torch_onnxruntime_and_opencv_give_the_same_detections()
    {
        var dir = TestPaths.NewTempDir("predict-backends");
        var ckpt = PredictFixture.Checkpoint(dir);
        var image = PredictFixture.Images(Path.Combine(dir, "in"), 1, width: 500, height: 360)[0];
        var decoded = CliProcess.Run(dir, "export", "--checkpoint", ckpt, "--output", "decoded.onnx", "--decode");
        Assert.True(decoded.ExitCode == 0, decoded.All);

        var runs = new (string Name, string[] Args)[]
        {
            ("torch", ["--backend", "torch"]),
            ("onnxruntime", ["--backend", "onnxruntime"]),
            ("opencv", ["--backend", "opencv"]),
            ("onnxruntime-decoded", ["--backend", "onnxruntime", "--onnx", "decoded.onnx"]),
            ("onnxruntime-1-thread", ["--backend", "onnxruntime", "--onnx", "decoded.onnx", "--set", "device:threads=1"]),
            ("opencv-decoded", ["--backend", "opencv", "--onnx", "decoded.onnx"]),
        };
        var results = new Dictionary<string, JsonElement[]>();
        foreach (var (name, args) in runs)
        {
            var r = CliProcess.Run(dir, ["predict", "--checkpoint", ckpt, "--input", image, "--output", name, .. args]);
            Assert.True(r.ExitCode == 0, $"{name}: {r.All}");
            if (name is "onnxruntime" or "opencv") Assert.Contains("model.onnx", r.StdErr); // exported on the fly, and said so
            // device:threads reaches ONNX Runtime too, and the log says what it runs with.
            if (name.StartsWith("onnxruntime", StringComparison.Ordinal))
                Assert.Contains(name == "onnxruntime-1-thread" ? "onnxruntime: 1 intra-op thread" : "onnxruntime: ONNX Runtime's default threads", r.StdErr);
            using var doc = JsonDocument.Parse(File.ReadAllText(Path.Combine(dir, name, "predictions.json")));
            results[name] = doc.RootElement.EnumerateArray().Select(e => e.Clone()).ToArray();
        }
        var reference = results["torch"];
        Assert.True(reference.Length >= 10, $"{reference.Length} detections: the fixture should give many");
        foreach (var (name, dets) in results)
        {
            Assert.True(reference.Length == dets.Length, $"{name}: {dets.Length} detections vs torch {reference.Length}");
            for (int i = 0; i < dets.Length; i++)
            {
                Assert.Equal(reference[i].GetProperty("category_id").GetInt32(), dets[i].GetProperty("category_id").GetInt32());
                Assert.True(Math.Abs(reference[i].GetProperty("score").GetDouble() - dets[i].GetProperty("score").GetDouble()) < 1e-4, $"{name} #{i} score");
                var pairs = reference[i].GetProperty("bbox").EnumerateArray().Concat(reference[i].GetProperty("points").EnumerateArray())
                    .Zip(dets[i].GetProperty("bbox").EnumerateArray().Concat(dets[i].GetProperty("points").EnumerateArray()));
                foreach (var (a, b) in pairs) Assert.True(Math.Abs(a.GetDouble() - b.GetDouble()) < 0.01, $"{name} #{i}: {b} vs {a}");
            }
        }
    }

    [Fact]
    public void Bad_arguments_and_inputs_exit_with_one_line()
    {
        var dir = TestPaths.NewTempDir("predict-errors");
        var ckpt = PredictFixture.Checkpoint(dir);
        var image = PredictFixture.Images(Path.Combine(dir, "in"), 1)[0];

        var missing = CliProcess.Run(dir, "predict", "--checkpoint", ckpt, "--input", "nope.jpg");
        Assert.Equal(1, missing.ExitCode);
        Assert.Equal("error: nope.jpg: no such file or folder", missing.StdErr.Trim().Split('\n')[^1]);

        var onnxWithTorch = CliProcess.Run(dir, "predict", "--checkpoint", ckpt, "--input", image, "--backend", "torch", "--onnx", "x.onnx");
        Assert.Equal(2, onnxWithTorch.ExitCode);
        Assert.Contains("--onnx needs --backend opencv or onnxruntime", onnxWithTorch.StdErr);

        var other = CliProcess.Run(dir, "export", "--checkpoint", ckpt, "--output", "other.onnx", "--input-size", "256x256");
        Assert.True(other.ExitCode == 0, other.All);
        var mismatch = CliProcess.Run(dir, "predict", "--checkpoint", ckpt, "--input", image, "--backend", "opencv", "--onnx", "other.onnx");
        Assert.Equal(2, mismatch.ExitCode);
        Assert.Contains("export with --input-size 320x256", mismatch.StdErr);

        var badBackend = CliProcess.Run(dir, "predict", "--checkpoint", ckpt, "--input", image, "--backend", "tensorrt");
        Assert.Equal(2, badBackend.ExitCode);

        File.WriteAllBytes(Path.Combine(dir, "only-broken.png"), [1, 2, 3]);
        var allBroken = CliProcess.Run(dir, "predict", "--checkpoint", ckpt, "--input", "only-broken.png", "--output", "ob");
        Assert.Equal(1, allBroken.ExitCode);
        Assert.Contains("0 images processed, 1 skipped", allBroken.StdOut);
    }
}
