using NanoDet.Host.Export;
using NanoDet.Host.Inference;
using Xunit.Abstractions;

namespace NanoDet.Host.Tests.Export;

/// <summary>
/// The exported graph run by ONNX Runtime and OpenCV DNN against the TorchSharp model on the same input, judged by
/// DESIGN.md's bounds: class scores within 1e-4 absolute, bin logits within 1e-4·(1 + |x|).
/// </summary>
public class OnnxParityTests(ITestOutputHelper output)
{
    [Theory]
    [InlineData(320, 320)]
    [InlineData(320, 192)] // non-square: W 320, H 192 → input [1, 3, 192, 320]
    public void Onnx_runtime_and_opencv_match_torch(int width, int height)
    {
        using var model = ExportFixture.TinyModel();
        var dir = TestPaths.NewTempDir("onnx-parity");
        var path = Path.Combine(dir, "model.onnx");
        var result = OnnxExporter.Export(model, new OnnxExportOptions(width, height));
        OnnxExporter.Write(result, path);
        Assert.Equal(new long[] { 1, 3, height, width }, result.InputShape);

        var input = ExportFixture.Input(height, width);
        using var torchBackend = new TorchBackend(model, TorchSharp.torch.CPU);
        var expected = torchBackend.Run(input, 1, height, width);
        int c = model.Layout.NumClasses;
        foreach (IInferenceBackend backend in new IInferenceBackend[] { new OnnxRuntimeBackend(path, c + 12), new OpenCvDnnBackend(path, c + 12) })
        {
            using (backend)
            {
                var actual = backend.Run(input, 1, height, width);
                Assert.Equal(expected.Shape, actual.Shape);
                var (scoreErr, logitErr) = Parity.MaxErrors(expected.Values, actual.Values, (int)expected.Shape[2], c);
                output.WriteLine($"{backend.Name} {width}x{height}: max |Δscore| = {scoreErr:E2}, max |Δlogit|/(1+|x|) = {logitErr:E2}");
                Assert.True(scoreErr <= 1e-4, $"{backend.Name}: class score error {scoreErr}");
                Assert.True(logitErr <= 1e-4, $"{backend.Name}: logit error {logitErr}");
            }
        }
    }
}
