using NanoDet.Inference.Errors;
using NanoDet.Inference.Geometry;

namespace NanoDet.Abstractions.Data;

/// <summary>
/// The padding rule of the network input: each side of a batch (training, validation, inference, export) is padded
/// with zeros at the bottom and right up to a multiple of <see cref="Multiple"/> (docs/reference.md#batching). The
/// batch loader, the inference backends, the exporter and the data check all ask this rule, so a network that needs
/// another multiple changes it here only.
/// </summary>
public static class InputPadding
{
    /// <summary>Each padded side is a multiple of this many pixels (32, NanoDet's collate divisor).</summary>
    public const int Multiple = 32;

    /// <summary><paramref name="side"/> rounded up to the next multiple of <see cref="Multiple"/>.</summary>
    public static int RoundUp(int side) => (side + Multiple - 1) / Multiple * Multiple;
}
