using NanoDet.Inference.Onnx;

namespace NanoDet.Export;

/// <summary>An exported graph with the figures the export reports.</summary>
/// <param name="Model">The ONNX model.</param>
/// <param name="InputShape">[1, 3, H, W].</param>
/// <param name="OutputShape">[1, N, K] (K = C + 12·(R+1), or C + 4 + 8 decoded).</param>
/// <param name="ConvMacs">Convolution multiply-accumulates per image (FLOPs = 2 × MACs, docs/reference.md#reference-figures).</param>
/// <param name="ConvWeights">Convolution weights (docs/reference.md#reference-figures parameter convention).</param>
/// <param name="OpTypes">Distinct op types in the graph.</param>
public sealed record OnnxExportResult(
    ModelProto Model, long[] InputShape, long[] OutputShape, long ConvMacs, long ConvWeights, IReadOnlyList<string> OpTypes)
{
    /// <summary>2 × MACs, in GFLOPs.</summary>
    public double GigaFlops => 2.0 * ConvMacs / 1e9;
}
