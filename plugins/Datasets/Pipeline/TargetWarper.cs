using NanoDet.Abstractions.Data;
using NanoDet.Abstractions.Geometry;
using NanoDet.Inference.Errors;
using NanoDet.Inference.Geometry;

namespace NanoDet.Datasets.Pipeline;

/// <summary>
/// Warps ground truth with the image's matrix (docs/reference.md#warping-boxes-and-corners): a box through its four corners, homogeneous division,
/// min/max, clip to the output; each corner point homogeneously, left where it lands (a border plate's corners
/// stay outside the image; the reference clips them per coordinate, <see cref="WarpPointsRaw"/>). Where the map mirrors
/// orientation at the object (a horizontal flip), the corners are relabelled (docs/reference.md#horizontal-flip-and-corner-labels), which NanoDet's
/// four-point forks do not do.
/// </summary>
public static class TargetWarper
{
    /// <summary>Box through M: bounding rectangle of its warped corners, clipped to [0, w] × [0, h].</summary>
    public static Box WarpBox(Box b, WarpMatrix m, int width, int height)
    {
        var p1 = m.Apply(new PointF2(b.X1, b.Y1));
        var p2 = m.Apply(new PointF2(b.X2, b.Y2));
        var p3 = m.Apply(new PointF2(b.X1, b.Y2));
        var p4 = m.Apply(new PointF2(b.X2, b.Y1));
        float x1 = Math.Min(Math.Min(p1.X, p2.X), Math.Min(p3.X, p4.X));
        float y1 = Math.Min(Math.Min(p1.Y, p2.Y), Math.Min(p3.Y, p4.Y));
        float x2 = Math.Max(Math.Max(p1.X, p2.X), Math.Max(p3.X, p4.X));
        float y2 = Math.Max(Math.Max(p1.Y, p2.Y), Math.Max(p3.Y, p4.Y));
        return new Box(Math.Clamp(x1, 0, width), Math.Clamp(y1, 0, height), Math.Clamp(x2, 0, width), Math.Clamp(y2, 0, height));
    }

    /// <summary>Corners through M without relabelling, each clipped to the output (the reference behaviour).</summary>
    public static Quad WarpPointsRaw(Quad q, WarpMatrix m, int width, int height)
    {
        Span<float> xy = stackalloc float[8];
        for (int k = 0; k < 4; k++)
        {
            var p = m.Apply(q[k]);
            xy[2 * k] = Math.Clamp(p.X, 0, width);
            xy[2 * k + 1] = Math.Clamp(p.Y, 0, height);
        }
        return Quad.FromArray(xy);
    }

    /// <summary>
    /// Corners through M, relabelled when M mirrors the plate so TL, BL, BR, TR still name their places. Unlike the
    /// reference they are not clipped: a corner outside the output (a plate cut by the frame edge) keeps its true
    /// place, which the signed corner encoding can learn; clipping would move it along the edge.
    /// </summary>
    public static Quad WarpPoints(Quad q, WarpMatrix m)
    {
        Span<float> xy = stackalloc float[8];
        for (int k = 0; k < 4; k++)
        {
            var p = m.Apply(q[k]);
            xy[2 * k] = p.X;
            xy[2 * k + 1] = p.Y;
        }
        var warped = Quad.FromArray(xy);
        var b = q.Bounds();
        return MirrorsAt(m, (b.X1 + b.X2) / 2, (b.Y1 + b.Y2) / 2) ? warped.MirrorRelabel() : warped;
    }

    /// <summary>
    /// True when M reverses orientation at (x, y): the Jacobian determinant of a projective map is det(M)/z³, so its
    /// sign is that of det(M)·z. For the affine case this is the sign of the 2×2 linear part (a flip gives −1).
    /// </summary>
    public static bool MirrorsAt(WarpMatrix m, double x, double y)
    {
        double z = m[2, 0] * x + m[2, 1] * y + m[2, 2];
        return m.Determinant * z < 0;
    }

    /// <summary>All annotations through M; drops boxes under 1 px when <paramref name="dropDegenerate"/>.</summary>
    public static List<Annotation> Warp(IReadOnlyList<Annotation> anns, WarpMatrix m, int width, int height, bool dropDegenerate)
    {
        var result = new List<Annotation>(anns.Count);
        foreach (var a in anns)
        {
            var box = WarpBox(a.Box, m, width, height);
            if (dropDegenerate && (box.Width < 1 || box.Height < 1)) continue;
            var pts = a.Points is { } q ? WarpPoints(q, m) : (Quad?)null;
            // the COCO area belongs to the original image (the evaluator reads it there), not to the warped sample
            result.Add(a with { Box = box, Points = pts, Area = null });
        }
        return result;
    }
}
