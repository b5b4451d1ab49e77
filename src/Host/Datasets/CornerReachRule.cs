using NanoDet.Abstractions.Geometry;
using NanoDet.Inference.Errors;
using NanoDet.Inference.Geometry;

namespace NanoDet.Host.Datasets;

/// <summary>
/// What <see cref="CornerReach"/> checks against: the head's strides, reg_max and corner encoding, and the
/// assigner's candidate rule (<c>center_radius</c> in strides; 0 = priors strictly inside the box only).
/// </summary>
internal sealed record CornerReachRule(IReadOnlyList<int> Strides, int RegMax, CornerEncoding Encoding, double CenterRadius)
{
    /// <summary>How the candidate rule reads in a report.</summary>
    public string CandidateRule => CenterRadius > 0
        ? FormattableString.Invariant($"inside the box or within {CenterRadius:0.##}·stride of its centre")
        : "strictly inside the box";
}
