using System.Text.Json;
using NanoDet.Checkpoints;
using NanoDet.Checkpoints.Safetensors;
using NanoDet.Export;
using NanoDet.Host.Export;
using NanoDet.Host.Inference;
using NanoDet.Host.Tests.Model;
using NanoDet.Inference.Onnx;
using NanoDet.Inference.Runtime;
using Xunit.Abstractions;
using static TorchSharp.torch;

namespace NanoDet.Host.Tests.Export;

/// <summary>
/// The exported graph run by ONNX Runtime and OpenCV DNN against the TorchSharp model on the same input, judged by
/// The parity bounds (docs/reference.md#parity-bounds): class scores within 1e-4 absolute, bin logits within 1e-4·(1 + |x|).
/// </summary>
public class OnnxParityTests(ITestOutputHelper output)
{
    [Theory]
    [InlineData(320, 320, 11)]
    [InlineData(320, 192, 11)] // non-square: W 320, H 192 → input [1, 3, 192, 320]
    [InlineData(256, 256, 17)] // the highest opset --opset accepts
    public void Onnx_runtime_and_opencv_match_torch(int width, int height, int opset)
    {
        using var model = ExportFixture.TinyModel();
        var dir = TestPaths.NewTempDir("onnx-parity");
        var path = Path.Combine(dir, "model.onnx");
        var result = OnnxExporter.Export(model, new OnnxExportOptions(width, height, Opset: opset));
        OnnxExporter.Write(result, path);
        Assert.Equal(new long[] { 1, 3, height, width }, result.InputShape);

        var input = ExportFixture.Input(height, width);
        using var torchBackend = new TorchBackend(model, TorchSharp.torch.CPU);
        var expected = torchBackend.Run(input, 1, height, width);
        int c = model.Layout.NumClasses;
        // The fixture must discriminate: scores spread over (0, 1) and logits of several units.
        var scores = expected.Values.Where((_, i) => i % expected.Shape[2] < c).ToArray();
        Assert.True(scores.Max() - scores.Min() > 0.5, $"score range {scores.Min()}..{scores.Max()}");
        Assert.True(expected.Values.Max(Math.Abs) > 2);
        foreach (IInferenceBackend backend in new IInferenceBackend[] { new OnnxRuntimeBackend(path, c + 12), new OpenCvDnnBackend(path, c + 12) })
        {
            using (backend)
            {
                var actual = backend.Run(input, 1, height, width);
                Assert.Equal(expected.Shape, actual.Shape);
                var (scoreErr, logitErr) = Parity.MaxErrors(expected.Values, actual.Values, (int)expected.Shape[2], c);
                output.WriteLine($"{backend.Name} {width}x{height} opset {opset}: max |Δscore| = {scoreErr:E2}, max |Δlogit|/(1+|x|) = {logitErr:E2}");
                Assert.True(scoreErr <= 1e-4, $"{backend.Name}: class score error {scoreErr}");
                Assert.True(logitErr <= 1e-4, $"{backend.Name}: logit error {logitErr}");
            }
        }
    }

    /// <summary>
    /// Weights made by the PyTorch reference (Fixtures/parity, four-point, every weight and BN statistic random):
    /// exported with a dynamic batch, ONNX Runtime and OpenCV DNN reproduce PyTorch's own outputs for its batch of
    /// two non-square (96×64) inputs, with the sigmoid applied to the class channels.
    /// </summary>
    [Fact]
    public void Reference_weights_exported_with_dynamic_batch_reproduce_pytorch_outputs()
    {
        var fixture = Path.Combine(TestPaths.BinDir, "Fixtures", "parity");
        var (_, meta) = WeightsFile.Read(Path.Combine(fixture, "fourpoint.weights.safetensors"));
        using var model = ModelConfig.Detector(JsonSerializer.Deserialize<Dictionary<string, string?>>(meta["nanodet_config"])!);
        Assert.True(WeightsFile.LoadStrict(model, Path.Combine(fixture, "fourpoint.weights.safetensors")).IsExact);
        model.eval();
        var io = SafetensorsFile.Read(Path.Combine(fixture, "fourpoint.io.safetensors")).Tensors.ToDictionary(t => t.Name, t => t.ToTensor());
        using var x = io["input"];
        using var reference = io["head_raw"];
        int c = model.Layout.NumClasses;
        using var expectedTensor = cat([reference[.., .., ..c].sigmoid(), reference[.., .., c..]], -1).contiguous();
        var expected = expectedTensor.data<float>().ToArray();

        var path = Path.Combine(TestPaths.NewTempDir("onnx-reference"), "reference.onnx");
        var result = OnnxExporter.Export(model, new OnnxExportOptions(96, 64, DynamicBatch: true));
        OnnxExporter.Write(result, path);
        Assert.Equal(new long[] { -1, 3, 64, 96 }, OnnxFileInfo.Read(path).InputShape);

        var input = x.contiguous().data<float>().ToArray();
        foreach (IInferenceBackend backend in new IInferenceBackend[] { new OnnxRuntimeBackend(path, c + 12), new OpenCvDnnBackend(path, c + 12) })
        {
            using (backend)
            {
                var actual = backend.Run(input, 2, 64, 96);
                Assert.Equal(new long[] { 2, 128, c + 96 }, actual.Shape);
                var (scoreErr, logitErr) = Parity.MaxErrors(expected, actual.Values, c + 96, c);
                output.WriteLine($"{backend.Name} vs PyTorch (batch 2, 96x64): max |Δscore| = {scoreErr:E2}, max |Δlogit|/(1+|x|) = {logitErr:E2}");
                Assert.True(scoreErr <= 1e-4 && logitErr <= 1e-4, $"{backend.Name}: {scoreErr}, {logitErr}");
            }
        }
        foreach (var t in io.Values) t.Dispose();
    }
}
