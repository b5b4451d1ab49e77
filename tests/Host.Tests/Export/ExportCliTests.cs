using System.Text.Json;
using NanoDet.Checkpoints;
using NanoDet.Checkpoints.Safetensors;
using NanoDet.Host.Inference;
using NanoDet.Host.Tests.Cli;
using NanoDet.Host.Tests.Inference;
using NanoDet.Host.Tests.Model;
using NanoDet.Inference.Onnx;
using static TorchSharp.torch;

namespace NanoDet.Host.Tests.Export;

/// <summary><c>nanodet export</c> through the real executable.</summary>
public class ExportCliTests
{
    private static string Fixture(string folder, string name) => Path.Combine(TestPaths.BinDir, "Fixtures", folder, name);

    [Fact]
    public void Onnx_export_writes_nanodet_convention_with_metadata()
    {
        var dir = TestPaths.NewTempDir("export-onnx");
        var ckpt = PredictFixture.Checkpoint(dir);
        var r = CliProcess.Run(dir, "export", "--checkpoint", ckpt, "--format", "onnx", "--output", "m.onnx");
        Assert.True(r.ExitCode == 0, r.All);
        // 320×256 input: 40·32 + 20·16 + 10·8 + 5·4 = 1700 priors; K = 3 + 12·8 = 99.
        Assert.Contains("input: data [1, 3, 256, 320] normalised BGR", r.StdOut);
        Assert.Contains("output: output [1, 1700, 99]", r.StdOut);
        Assert.Matches(@"FLOPs: 0\.\d{3} G", r.StdOut);
        var info = OnnxFileInfo.Read(Path.Combine(dir, "m.onnx"));
        Assert.Equal(new long[] { 1, 3, 256, 320 }, info.InputShape);
        Assert.Equal(new long[] { 1, 1700, 99 }, info.OutputShape);
        Assert.Equal(11, info.Opset);
        Assert.Equal(PredictFixture.ClassNames, JsonSerializer.Deserialize<string[]>(info.Metadata["nanodet:class_names"]));
        Assert.Equal("103.53,116.28,123.675", info.Metadata["nanodet:mean_bgr"]);
        Assert.Equal("false", info.Metadata["nanodet:decoded"]);

        var d = CliProcess.Run(dir, "export", "--checkpoint", ckpt, "--output", "d.onnx", "--decode", "--dynamic-batch", "--input-size", "192x128");
        Assert.True(d.ExitCode == 0, d.All);
        // 192×128: 24·16 + 12·8 + 6·4 + 3·2 = 510 priors; decoded K = 3 + 4 + 8 = 15.
        Assert.Contains("output: output [batch, 510, 15]", d.StdOut);
        var decoded = OnnxFileInfo.Read(Path.Combine(dir, "d.onnx"));
        Assert.Equal(new long[] { -1, 3, 128, 192 }, decoded.InputShape);
        Assert.Equal("true", decoded.Metadata["nanodet:decoded"]);
    }

    [Fact]
    public void Bad_export_arguments_exit_2_and_missing_files_exit_1()
    {
        var dir = TestPaths.NewTempDir("export-errors");
        var ckpt = PredictFixture.Checkpoint(dir);
        var notMultiple = CliProcess.Run(dir, "export", "--checkpoint", ckpt, "--input-size", "300x300");
        Assert.Equal(2, notMultiple.ExitCode);
        Assert.Contains("multiples of 32", notMultiple.StdErr);
        var badSize = CliProcess.Run(dir, "export", "--checkpoint", ckpt, "--input-size", "big");
        Assert.Equal(2, badSize.ExitCode);
        Assert.Contains("--input-size: 'big' is not a size", badSize.StdErr);
        var badFormat = CliProcess.Run(dir, "export", "--checkpoint", ckpt, "--format", "tflite");
        Assert.Equal(2, badFormat.ExitCode);
        var decodeSafetensors = CliProcess.Run(dir, "export", "--checkpoint", ckpt, "--format", "safetensors", "--decode");
        Assert.Equal(2, decodeSafetensors.ExitCode);
        var missing = CliProcess.Run(dir, "export", "--checkpoint", "none.safetensors");
        Assert.Equal(1, missing.ExitCode);
        Assert.Contains("none.safetensors", missing.StdErr);
    }

    /// <summary>
    /// Issue 8: a Lightning checkpoint written by real torch.save (tools/interop/make_export_fixture.py): raw weights =
    /// reference + 0.25, EMA = the PyTorch reference weights. The conversion must use EMA, drop the aux branch, and the
    /// converted file must reproduce PyTorch's outputs and work as a checkpoint for predict and ONNX export.
    /// </summary>
    [Fact]
    public void Safetensors_export_converts_a_pytorch_lightning_checkpoint_using_ema_weights()
    {
        var dir = TestPaths.NewTempDir("export-pth");
        var ckpt = Fixture("export", "fourpoint_lightning.ckpt");
        var config = Fixture("export", "fourpoint_config.json");
        var r = CliProcess.Run(dir, "export", "--checkpoint", ckpt, "--config", config, "--format", "safetensors", "--output", "converted.safetensors", "--input-size", "96x64");
        Assert.True(r.ExitCode == 0, r.All);
        Assert.Contains("Lightning checkpoint (PL 1.9.5, epoch 12, step 345)", r.StdOut);
        Assert.Contains("weights used: ema", r.StdOut);
        Assert.Contains("aux branch dropped", r.StdOut);

        var converted = Path.Combine(dir, "converted.safetensors");
        var (entries, meta) = WeightsFile.Read(converted);
        Assert.DoesNotContain(entries, e => e.Key.StartsWith("aux_", StringComparison.Ordinal));
        Assert.Equal("ema", meta["weights"]);
        Assert.Equal("96x64", meta["input_size"]);
        Assert.Equal(new[] { "plate_a", "plate_b", "plate_c" }, JsonSerializer.Deserialize<string[]>(meta["class_names"]));

        // The converted weights reproduce the PyTorch reference forward (so EMA, not raw + 0.25, was used).
        var (_, parityMeta) = WeightsFile.Read(Fixture("parity", "fourpoint.weights.safetensors"));
        using var model = ModelConfig.Detector(JsonSerializer.Deserialize<Dictionary<string, string?>>(parityMeta["nanodet_config"])!);
        WeightsFile.LoadStrict(model, converted, model.IsTrainingOnly);
        model.eval();
        var io = SafetensorsFile.Read(Fixture("parity", "fourpoint.io.safetensors")).Tensors.ToDictionary(t => t.Name, t => t.ToTensor());
        using (no_grad())
        {
            using var output = model.forward(io["input"]);
            int c = model.Layout.NumClasses;
            using var reference = io["head_raw"];
            double err = ((output[.., .., c..] - reference[.., .., c..]).abs() / (reference[.., .., c..].abs() + 1)).max().item<float>();
            Assert.True(err < 1e-4, $"converted weights differ from the PyTorch reference: {err}");
        }
        foreach (var t in io.Values) t.Dispose();
        foreach (var (_, t) in entries) t.Dispose();

        // The converted file is self-describing: it exports without --config, at its recorded input size.
        var onnx = CliProcess.Run(dir, "export", "--checkpoint", converted, "--output", "converted.onnx");
        Assert.True(onnx.ExitCode == 0, onnx.All);
        Assert.Contains("input: data [1, 3, 64, 96]", onnx.StdOut);
    }
}
