using NanoDet.Abstractions.Geometry;
using NanoDet.Abstractions.Model;
using NanoDet.Export;
using NanoDet.Heads.PostProcess;
using NanoDet.Host.Export;
using NanoDet.Host.Inference;
using NanoDet.Inference.Detections;
using NanoDet.Inference.Errors;
using NanoDet.Inference.Geometry;
using NanoDet.Inference.Onnx;
using NanoDet.Inference.PostProcessing;
using NanoDet.Inference.Runtime;
using Xunit.Abstractions;

namespace NanoDet.Host.Tests.Export;

/// <summary>The <c>--decode</c> graph against our post-processor's decoding of the TorchSharp raw output.</summary>
public class OnnxDecodeTests(ITestOutputHelper output)
{
    [Fact]
    public void Decode_constants_follow_the_quadrant_signs_and_priors()
    {
        // 64×32 input, strides 8 and 16: level 8 is 8 wide × 4 high (priors 0..31), level 16 is 4 × 2.
        var layout = new HeadLayout(2, 7, 4, [8, 16]);
        var (scale, offset, limit) = OnnxDecodeGraph.Constants(layout, 64, 32);
        Assert.Equal(40 * 12, scale.Length);
        // Prior 9 = level 8, row 1, column 1 → (cx, cy) = (8, 8): l, t, r, b then TL(−,−) BL(−,+) BR(+,+) TR(+,−).
        Assert.Equal(new float[] { -8, -8, 8, 8, -8, -8, -8, 8, 8, 8, 8, -8 }, scale[(9 * 12)..(10 * 12)]);
        Assert.Equal(new float[] { 8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8 }, offset[(9 * 12)..(10 * 12)]);
        // Prior 32 + 5 = level 16, row 1, column 1 → (16, 16), stride 16.
        Assert.Equal(new float[] { -16, -16, 16, 16 }, scale[(37 * 12)..(37 * 12 + 4)]);
        Assert.Equal(new float[] { 16, 16, 16, 16 }, offset[(37 * 12)..(37 * 12 + 4)]);
        Assert.Equal(new float[] { 64, 32, 64, 32, 64, 32, 64, 32, 64, 32, 64, 32 }, limit);
    }

    [Fact]
    public void Signed_decode_constants_bake_in_the_symmetric_bins()
    {
        // Corners: value = centre + stride·(2·integral − R) = (centre − 7·stride) + (2·stride)·integral.
        var layout = new HeadLayout(2, 7, 4, [8, 16]) { CornerEncoding = CornerEncoding.Signed };
        var (scale, offset, _) = OnnxDecodeGraph.Constants(layout, 64, 32);
        Assert.Equal(new float[] { -8, -8, 8, 8, 16, 16, 16, 16, 16, 16, 16, 16 }, scale[(9 * 12)..(10 * 12)]);
        Assert.Equal(new float[] { 8, 8, 8, 8, -48, -48, -48, -48, -48, -48, -48, -48 }, offset[(9 * 12)..(10 * 12)]);
    }

    [Theory]
    [InlineData("quadrant")]
    [InlineData("signed")]
    public void Decoded_graph_equals_post_processor_decoding_on_every_backend(string encoding)
    {
        const int width = 256, height = 192;
        using var model = ExportFixture.TinyModel(seed: 3, cornerEncoding: encoding);
        var layout = model.Layout;
        Assert.Equal(encoding, layout.CornerEncoding.ToString().ToLowerInvariant());
        int c = layout.NumClasses, g = layout.NumDistances;
        var dir = TestPaths.NewTempDir("onnx-decode");
        var path = Path.Combine(dir, "decoded.onnx");
        var result = OnnxExporter.Export(model, new OnnxExportOptions(width, height, Decode: true));
        OnnxExporter.Write(result, path);
        Assert.Equal(encoding, OnnxFileInfo.Read(path).Metadata[OnnxMetadataKeys.CornerEncoding]);
        Assert.Equal(new long[] { 1, layout.PriorCount(height, width), c + 12 }, result.OutputShape);

        var input = ExportFixture.Input(height, width, seed: 11);
        using var torchBackend = new TorchBackend(model, TorchSharp.torch.CPU);
        var raw = torchBackend.Run(input, 1, height, width);
        var expected = DecodeReference(raw.Values, layout, width, height);

        var post = new NanoDetPostProcessor(new NanoDetPostProcessOptions());
        var geometry = new[] { new ImageGeometry(WarpMatrix.Identity, width, height) };
        var expectedDetections = post.Process(raw.Values, 1, layout, width, height, geometry)[0];
        Assert.True(expectedDetections.Count >= 5, $"{expectedDetections.Count} detections: the fixture should give several");

        foreach (IInferenceBackend backend in new IInferenceBackend[] { new OnnxRuntimeBackend(path, c + 12), new OpenCvDnnBackend(path, c + 12) })
        {
            using (backend)
            {
                Assert.True(backend.Decoded);
                var actual = backend.Run(input, 1, height, width);
                double maxScore = 0, maxPixel = 0;
                for (int i = 0; i < actual.Values.Length; i++)
                {
                    double d = Math.Abs(actual.Values[i] - expected[i]);
                    if (i % (c + g) < c) maxScore = Math.Max(maxScore, d);
                    else maxPixel = Math.Max(maxPixel, d);
                }
                output.WriteLine($"{encoding}, {backend.Name}: max |Δscore| = {maxScore:E2}, max |Δpixel| = {maxPixel:E2} over {actual.Values.Length / (c + g)} priors");
                Assert.True(maxScore <= 1e-4, $"{backend.Name}: score error {maxScore}");
                Assert.True(maxPixel <= 1e-3, $"{backend.Name}: decoded coordinate error {maxPixel} px");

                var detections = post.Process(actual.Values, 1, layout, width, height, geometry, decoded: true)[0];
                DetectionAssert.Equal(expectedDetections, detections, 1e-3);
            }
        }
    }

    /// <summary>
    /// Raw [1, N, K] → [1, N, C + 12] with the post-processor's integral (<see cref="NanoDetPostProcessor.Integrate"/>),
    /// docs/reference.md#box-codec, docs/reference.md#corner-codec signs, clamped to the input: the reference the graph must reproduce.
    /// </summary>
    private static float[] DecodeReference(float[] raw, HeadLayout layout, int width, int height)
    {
        var priors = PriorPoints.Enumerate(height, width, layout.Strides).ToArray();
        int c = layout.NumClasses, k = layout.Channels, g = layout.NumDistances;
        var result = new float[priors.Length * (c + g)];
        var d = new float[g];
        for (int i = 0; i < priors.Length; i++)
        {
            var (cx, cy, s) = priors[i];
            var row = raw.AsSpan(i * k, k);
            row[..c].CopyTo(result.AsSpan(i * (c + g)));
            NanoDetPostProcessor.Integrate(row[c..], layout.Bins, d);
            var o = result.AsSpan(i * (c + g) + c, g);
            o[0] = cx - d[0] * s; o[1] = cy - d[1] * s; o[2] = cx + d[2] * s; o[3] = cy + d[3] * s;
            var quad = DistanceCodec.DistancesToPoints(cx, cy, d.AsSpan(4).ToArray().Select(v => layout.Corners.BinsToStrides(v) * s).ToArray(),
                layout.CornerEncoding);
            quad.ToArray().CopyTo(o[4..]);
            for (int j = 0; j < g; j++) o[j] = Math.Clamp(o[j], 0, j % 2 == 0 ? width : height);
        }
        return result;
    }
}
