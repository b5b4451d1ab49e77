using NanoDet.Inference.Errors;

namespace NanoDet.Inference.Geometry;

/// <summary>
/// The corner half of a head's distance encoding: the map between corner values (stride units, after the signs of
/// the quadrant signs (<see cref="QuadrantSigns"/>)) and the bin scale of the distributions the head predicts, and the reach.
/// <list type="bullet">
/// <item><see cref="CornerEncoding.Quadrant"/>: value = sign·(corner − prior) / stride, bin = value, targets clamped
/// to [0, R − 0.1] (a negative value — the wrong side — becomes 0).</item>
/// <item><see cref="CornerEncoding.Signed"/>: value = (corner − prior) / stride, bin = (value + R) / 2, targets clamped
/// to values in [−(R − 0.1), R − 0.1], i.e. bins in [0.05, R − 0.05]; nothing is clamped inside that reach.</item>
/// </list>
/// The box sides always use the quadrant-style unsigned distances (they are never negative inside the box).
/// </summary>
/// <param name="Encoding">The encoding.</param>
/// <param name="RegMax">R: each value is a distribution over R + 1 bins.</param>
public sealed record CornerCodec(CornerEncoding Encoding, int RegMax)
{
    /// <summary>The largest target value in strides, R − 0.1 (the DFL target limit shared with the box sides).</summary>
    public double Cap => RegMax - 0.1;

    /// <summary>Strides per bin: 1 (quadrant) or 2 (signed, so R + 1 bins cover [−R, R]).</summary>
    public float BinSpacing => Encoding == CornerEncoding.Signed ? 2f : 1f;

    /// <summary>The value of bin 0 in strides: 0 (quadrant) or −R (signed).</summary>
    public float BinOrigin => Encoding == CornerEncoding.Signed ? -RegMax : 0f;

    /// <summary>An integral in bin units → value in strides.</summary>
    public float BinsToStrides(float bins) => BinOrigin + BinSpacing * bins;

    /// <summary>
    /// Can a corner value (strides, after the signs) be a target without clamping? Quadrant: 0 ≤ v ≤ R − 0.1;
    /// signed: |v| ≤ R − 0.1.
    /// </summary>
    public bool Represents(double strides) =>
        strides <= Cap && strides >= (Encoding == CornerEncoding.Signed ? -Cap : 0);

}
