using NanoDet.Export;
using NanoDet.Host.Export;
using NanoDet.Host.Tests.Model;

namespace NanoDet.Host.Tests.Export;

/// <summary>
/// Conv MACs counted while the graph is built, against the reference table of docs/reference.md#reference-figures (measured on the reference: conv-only
/// multiply-accumulates, FLOPs = 2 × MACs, "Params" = conv weights without BN or biases).
/// </summary>
public class FlopsTests
{
    [Theory]
    [InlineData(36, 4, 320, 0.4548, 1_182_000)] // four-point plus-m, C = 36: 0.910 G FLOPs at 320
    [InlineData(36, 4, 416, 0.7690, 1_182_000)] // 1.538 G at 416
    [InlineData(80, 0, 320, 0.4507, 1_174_320)] // official plus-m, C = 80: 0.901 G
    [InlineData(80, 0, 416, 0.7621, 1_174_320)] // 1.524 G
    public void Conv_macs_and_weights_match_the_reference_table(int classes, int points, int size, double gigaMacs, long convWeights)
    {
        using var model = ModelConfig.Detector(ModelConfig.PlusM("1.0x", classes, points));
        var result = OnnxExporter.Export(model, new OnnxExportOptions(size, size));
        Assert.Equal(gigaMacs, result.ConvMacs / 1e9, 4);
        Assert.Equal(convWeights, result.ConvWeights);
        Assert.Equal(Math.Round(2 * gigaMacs, 3), Math.Round(result.GigaFlops, 3));
    }
}
