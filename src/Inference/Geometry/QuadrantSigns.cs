using NanoDet.Inference.Errors;

namespace NanoDet.Inference.Geometry;

/// <summary>
/// The quadrant corner encoding's fixed signs, one per corner in the order TL, BL, BR, TR: corner k lies at
/// (cx + X[k]·d, cy + Y[k]·d') from its prior, with non-negative distances d, d'.
/// </summary>
public static class QuadrantSigns
{
    /// <summary>x signs of TL, BL, BR, TR.</summary>
    public static IReadOnlyList<float> X { get; } = [-1f, -1f, 1f, 1f];

    /// <summary>y signs of TL, BL, BR, TR.</summary>
    public static IReadOnlyList<float> Y { get; } = [-1f, 1f, 1f, -1f];
}
