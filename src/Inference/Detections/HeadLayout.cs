using NanoDet.Inference.Errors;
using NanoDet.Inference.Geometry;

namespace NanoDet.Inference.Detections;

/// <summary>
/// The per-prior channel layout of a head output: <c>[0, C)</c> class channels, then 4 box-side
/// distributions, then 2·<see cref="NumPoints"/> corner-offset distributions, each of <c>RegMax + 1</c> bins.
/// <see cref="CornerEncoding"/> says how the corner bins map to pixels (the channel count is the same for both).
/// </summary>
/// <param name="NumClasses">C.</param>
/// <param name="RegMax">R (7 in NanoDet): each distance is a distribution over R+1 bins, in stride units.</param>
/// <param name="NumPoints">4 for the four-point head, 0 for plain NanoDet-Plus.</param>
/// <param name="Strides">Pyramid strides in output order, e.g. [8, 16, 32, 64].</param>
public sealed record HeadLayout(int NumClasses, int RegMax, int NumPoints, IReadOnlyList<int> Strides)
{
    /// <summary>How corners are encoded relative to their prior (head option <c>corner_encoding</c>; quadrant by default).</summary>
    public CornerEncoding CornerEncoding { get; init; } = CornerEncoding.Quadrant;

    /// <summary>The corner arithmetic of <see cref="CornerEncoding"/> at this reg_max.</summary>
    public CornerCodec Corners => new(CornerEncoding, RegMax);

    /// <summary>Bins per distance: R + 1.</summary>
    public int Bins => RegMax + 1;

    /// <summary>Distances regressed per prior: 4 box sides + 2 per corner.</summary>
    public int NumDistances => 4 + 2 * NumPoints;

    /// <summary>K = C + (4 + 2·points)·(R + 1): 132 for C = 36 four-point, 112 for C = 80 plain.</summary>
    public int Channels => NumClasses + NumDistances * Bins;

    /// <summary>Number of priors for a padded input of <paramref name="height"/>×<paramref name="width"/>.</summary>
    public int PriorCount(int height, int width)
    {
        int n = 0;
        foreach (var s in Strides)
        {
            var (rows, cols) = PriorPoints.LevelSize(height, width, s);
            n += rows * cols;
        }
        return n;
    }
}
