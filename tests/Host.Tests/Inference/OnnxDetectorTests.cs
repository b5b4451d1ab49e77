using NanoDet.Abstractions.Data;
using NanoDet.Abstractions.Plugins;
using NanoDet.Export;
using NanoDet.Host.Inference;
using NanoDet.Host.Tests.Cli;
using NanoDet.Host.Tests.Export;
using NanoDet.Host.Tests.Model;
using NanoDet.Inference;
using NanoDet.Inference.Errors;
using NanoDet.Inference.Geometry;
using NanoDet.Inference.Onnx;
using NanoDet.Inference.PostProcessing;
using NanoDet.Inference.Runtime;
using static TorchSharp.torch;

namespace NanoDet.Host.Tests.Inference;

/// <summary>
/// The torch-free inference library on a file written by <c>nanodet export</c>: it needs nothing but the .onnx file
/// and gives the same detections as predict's configured pipeline on the same runtime.
/// </summary>
public class OnnxDetectorTests
{
    [Theory]
    [InlineData(false, 400, 300)]
    [InlineData(true, 333, 250)]
    public void Detections_equal_the_configured_pipeline_on_the_same_runtime(bool keepRatio, int imageWidth, int imageHeight)
    {
        var dir = TestPaths.NewTempDir("onnx-detector");
        var ckpt = PredictFixture.Checkpoint(dir, 320, 256, keepRatio);
        var export = CliProcess.Run(dir, "export", "--checkpoint", ckpt, "--format", "onnx", "--output", "m.onnx");
        Assert.True(export.ExitCode == 0, export.All);
        var onnx = Path.Combine(dir, "m.onnx");

        using var detector = OnnxDetector.Open(onnx);
        Assert.Equal(PredictFixture.ClassNames, detector.Model.ClassNames);
        Assert.Equal((320, 256, keepRatio), (detector.Model.InputWidth, detector.Model.InputHeight, detector.Model.KeepRatio));

        var config = ModelConfig.Build(new Dictionary<string, string?>
        {
            ["data:val:input_size:0"] = "320",
            ["data:val:input_size:1"] = "256",
            ["data:val:keep_ratio"] = keepRatio ? "true" : "false",
        });
        var pipeline = ModelConfig.Resolver.Create<ISamplePipeline>(PluginKind.Pipeline, config.GetSection("data:val"), "NanoDetPipeline");
        using var backend = new OnnxRuntimeBackend(onnx, detector.Model.DecodedChannels);
        var reference = new Detector(pipeline, backend, new NanoDetPostProcessor(new NanoDetPostProcessOptions()), detector.Model.Layout, 320, 256);

        for (int seed = 1; seed <= 3; seed++)
        {
            using var image = PredictFixture.Image(imageWidth, imageHeight, seed);
            var expected = reference.Detect(image);
            Assert.NotEmpty(expected);
            DetectionAssert.Equal(expected, detector.Detect(image), pixels: 0);
        }

        // One intra-op thread: the same detections.
        using var single = OnnxDetector.Open(onnx, threads: 1);
        Assert.Equal((0, 1), (detector.Threads, single.Threads));
        using (var image = PredictFixture.Image(imageWidth, imageHeight, 1))
            DetectionAssert.Equal(reference.Detect(image), single.Detect(image), pixels: 0);
        Assert.Throws<ArgumentOutOfRangeException>(() => OnnxDetector.Open(onnx, threads: -1));
    }

    [Fact]
    public void A_graph_without_the_export_metadata_is_refused_naming_the_key()
    {
        using var model = ExportFixture.TinyModel(seed: 2);
        var path = Path.Combine(TestPaths.NewTempDir("onnx-detector-bare"), "bare.onnx");
        OnnxExporter.Write(OnnxExporter.Export(model, new OnnxExportOptions(320, 320)), path);
        var e = Assert.Throws<InputDataException>(() => OnnxDetector.Open(path));
        Assert.Contains(OnnxMetadataKeys.ClassNames, e.Message);
        Assert.Contains(path, e.Message);
    }
}
