using NanoDet.Inference.Errors;

namespace NanoDet.Inference.Geometry;

/// <summary>
/// How a head encodes a corner relative to its prior (the head option <c>corner_encoding</c>); see
/// <see cref="CornerCodec"/> for the arithmetic and docs/network.md ("Corner encodings") for the reasoning.
/// </summary>
public enum CornerEncoding
{
    /// <summary>
    /// The seed's encoding: two non-negative distances in a fixed quadrant per corner (TL −,−; BL −,+; BR +,+;
    /// TR +,−), R+1 bins at 0..R strides. A corner on the wrong side of its prior is clamped to the prior's axis.
    /// Kept for weight compatibility with the seed's checkpoints and PyTorch NanoDet.
    /// </summary>
    Quadrant,

    /// <summary>
    /// Signed offsets x − cx and y − cy, R+1 bins spaced two strides apart over [−R, R] strides: any corner within
    /// (R − 0.1) strides of its prior on either side is represented, the same reach as the box sides.
    /// </summary>
    [System.Diagnostics.CodeAnalysis.SuppressMessage("Naming", "CA1720", Justification = "named after the config value 'signed'")]
    Signed,
}
