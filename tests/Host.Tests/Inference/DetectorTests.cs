using NanoDet.Abstractions.Data;
using NanoDet.Abstractions.Plugins;
using NanoDet.Export;
using NanoDet.Heads.PostProcess;
using NanoDet.Host.Export;
using NanoDet.Host.Inference;
using NanoDet.Host.Tests.Export;
using NanoDet.Host.Tests.Model;
using NanoDet.Inference.Errors;
using NanoDet.Inference.Geometry;
using NanoDet.Inference.PostProcessing;
using NanoDet.Inference.Runtime;

namespace NanoDet.Host.Tests.Inference;

/// <summary>The shared preprocessing of every backend on a keep_ratio (letterbox) case.</summary>
public class DetectorTests
{
    private static ISamplePipeline Pipeline(bool keepRatio)
    {
        var config = ModelConfig.Build(new Dictionary<string, string?>
        {
            ["data:val:input_size:0"] = "320",
            ["data:val:input_size:1"] = "320",
            ["data:val:keep_ratio"] = keepRatio ? "true" : "false",
        });
        return ModelConfig.Resolver.Create<ISamplePipeline>(PluginKind.Pipeline, config.GetSection("data:val"), "NanoDetPipeline");
    }

    [Fact]
    public void Keep_ratio_image_is_padded_to_the_network_input_and_maps_back_inside_the_image()
    {
        // A 400×200 image letterboxed into 320×320 with keep_ratio: r = min(320/400, 320/200) = 0.8 → 320×160, the
        // pipeline's output; the detector pads rows 160..319 with zeros (the normalised mean colour) for every backend.
        using var model = ExportFixture.TinyModel(seed: 9);
        var post = new NanoDetPostProcessor(new NanoDetPostProcessOptions());
        using var torchBackend = new TorchBackend(model, TorchSharp.torch.CPU);
        var detector = new Detector(Pipeline(keepRatio: true), torchBackend, post, model.Layout, 320, 320);
        using var image = PredictFixture.Image(400, 200, seed: 4);

        var input = detector.Prepare(image, out var geometry);
        Assert.Equal(3 * 320 * 320, input.Length);
        var sample = Pipeline(keepRatio: true).Prepare(image, new ImageRecord(0, "", "", 400, 200, []), null);
        Assert.Equal((320, 160), (sample.Width, sample.Height));
        for (int c = 0; c < 3; c++)
            for (int y = 0; y < 320; y++)
                for (int x = 0; x < 320; x += 37)
                {
                    float v = input[(c * 320 + y) * 320 + x];
                    Assert.Equal(y < 160 ? sample.Image[(c * 160 + y) * 320 + x] : 0f, v);
                }
        Assert.Equal(400, geometry.OriginalWidth);

        var detections = detector.Detect(image);
        Assert.NotEmpty(detections);
        Assert.All(detections, d =>
        {
            Assert.InRange(d.Box.X1, 0, 400);
            Assert.InRange(d.Box.X2, 0, 400);
            Assert.InRange(d.Box.Y1, 0, 200);
            Assert.InRange(d.Box.Y2, 0, 200);
            foreach (var v in d.Points!.Value.ToArray().Where((_, i) => i % 2 == 1)) Assert.InRange(v, 0, 200);
        });

        // The ONNX backend on the same padded input gives the same detections.
        var path = Path.Combine(TestPaths.NewTempDir("detector-keep-ratio"), "m.onnx");
        OnnxExporter.Write(OnnxExporter.Export(model, new OnnxExportOptions(320, 320)), path);
        using var ort = new OnnxRuntimeBackend(path, model.Layout.NumClasses + 12);
        var viaOnnx = new Detector(Pipeline(keepRatio: true), ort, post, model.Layout, 320, 320).Detect(image);
        DetectionAssert.Equal(detections, viaOnnx, pixels: 0.01);
    }
}
