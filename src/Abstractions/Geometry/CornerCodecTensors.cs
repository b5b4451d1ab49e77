using NanoDet.Inference.Errors;
using NanoDet.Inference.Geometry;
using TorchSharp;
using static TorchSharp.torch;

namespace NanoDet.Abstractions.Geometry;

/// <summary>The tensor side of <see cref="CornerCodec"/> (training targets and decoding on tensors).</summary>
public static class CornerCodecTensors
{
    /// <summary>Corner integrals [.., 8] in bin units → values in strides (the same tensor for quadrant).</summary>
    public static Tensor BinsToStrides(this CornerCodec codec, Tensor bins) =>
        codec.Encoding == CornerEncoding.Signed ? bins * codec.BinSpacing + codec.BinOrigin : bins;

    /// <summary>
    /// Corner values [.., 8] in strides → clamped DFL targets in bin units: quadrant clamp(v, 0, R − 0.1) (the
    /// seed's targets, bit for bit); signed (clamp(v, −(R − 0.1), R − 0.1) + R) / 2.
    /// </summary>
    public static Tensor StridesToBinTargets(this CornerCodec codec, Tensor strides) =>
        codec.Encoding == CornerEncoding.Signed
            ? (strides.clamp(-codec.Cap, codec.Cap) - codec.BinOrigin) / codec.BinSpacing
            : strides.clamp(0, codec.Cap);
}
