using NanoDet.Abstractions.Data;
using NanoDet.Inference.Errors;
using NanoDet.Inference.Geometry;
using TorchSharp;
using static TorchSharp.torch;

namespace NanoDet.Abstractions.Geometry;

/// <summary>
/// Distance codecs shared by training and inference (docs/reference.md#box-codec, docs/reference.md#corner-codec).
/// Box: (l, t, r, b) from the prior center. Corners: each corner k has a fixed quadrant with signs
/// TL(−,−), BL(−,+), BR(+,+), TR(+,−); the 8 distances are non-negative magnitudes
/// x_k = cx + sx_k·d_2k, y_k = cy + sy_k·d_2k+1. A corner on the wrong side of the prior center encodes to a
/// negative distance, which the DFL target clamps to 0: it cannot be represented. The corner methods take a
/// <see cref="CornerEncoding"/>: with <see cref="CornerEncoding.Signed"/> every sign is +1 (plain offsets from the
/// prior), see <see cref="CornerCodec"/>.
/// </summary>
public static class DistanceCodec
{
    /// <summary>(l, t, r, b) of a box seen from (cx, cy), in pixels.</summary>
    public static (float L, float T, float R, float B) BoxToDistances(float cx, float cy, Box b) =>
        (cx - b.X1, cy - b.Y1, b.X2 - cx, b.Y2 - cy);

    /// <summary>
    /// The 8 corner distances from (cx, cy) in pixels; quadrant: signed magnitudes (negative = outside the
    /// quadrant); signed encoding: plain offsets x − cx, y − cy.
    /// </summary>
    public static float[] PointsToDistances(float cx, float cy, Quad q, CornerEncoding encoding = CornerEncoding.Quadrant)
    {
        var d = new float[8];
        for (int k = 0; k < 4; k++)
        {
            d[2 * k] = CornerSignX(encoding, k) * (q[k].X - cx);
            d[2 * k + 1] = CornerSignY(encoding, k) * (q[k].Y - cy);
        }
        return d;
    }

    /// <summary>Inverse of <see cref="PointsToDistances"/>.</summary>
    public static Quad DistancesToPoints(float cx, float cy, ReadOnlySpan<float> d, CornerEncoding encoding = CornerEncoding.Quadrant)
    {
        Span<float> xy = stackalloc float[8];
        for (int k = 0; k < 4; k++)
        {
            xy[2 * k] = cx + CornerSignX(encoding, k) * d[2 * k];
            xy[2 * k + 1] = cy + CornerSignY(encoding, k) * d[2 * k + 1];
        }
        return Quad.FromArray(xy);
    }

    /// <summary>Boxes from distances: centers [N, 2], distances [N, 4] (pixels) → xyxy [N, 4]; clamped to [0, W]×[0, H] when given.</summary>
    public static Tensor DistanceToBox(Tensor centers, Tensor distances, (int Height, int Width)? clampTo = null)
    {
        using var scope = NewDisposeScope();
        var cx = centers[.., 0];
        var cy = centers[.., 1];
        Tensor x1 = cx - distances[.., 0], y1 = cy - distances[.., 1], x2 = cx + distances[.., 2], y2 = cy + distances[.., 3];
        if (clampTo is { } c)
        {
            x1 = x1.clamp(0, c.Width); x2 = x2.clamp(0, c.Width);
            y1 = y1.clamp(0, c.Height); y2 = y2.clamp(0, c.Height);
        }
        return stack([x1, y1, x2, y2], -1).MoveToOuterDisposeScope();
    }

    /// <summary>Distances from boxes: centers [N, 2], boxes xyxy [N, 4] → (l, t, r, b) [N, 4] in pixels (unclamped).</summary>
    public static Tensor BoxToDistance(Tensor centers, Tensor boxes)
    {
        using var scope = NewDisposeScope();
        var cx = centers[.., 0];
        var cy = centers[.., 1];
        return stack([cx - boxes[.., 0], cy - boxes[.., 1], boxes[.., 2] - cx, boxes[.., 3] - cy], -1).MoveToOuterDisposeScope();
    }

    /// <summary>Corners from distances: centers [N, 2], distances [N, 8] → points [N, 8] (TL, BL, BR, TR); clamped per coordinate when given.</summary>
    public static Tensor DistanceToPoints(Tensor centers, Tensor distances, (int Height, int Width)? clampTo = null,
        CornerEncoding encoding = CornerEncoding.Quadrant)
    {
        using var scope = NewDisposeScope();
        var signs = SignTensor(distances.device, encoding);
        var origin = centers[.., ..2].repeat(1, 4);
        var pts = origin + distances * signs;
        if (clampTo is { } c)
        {
            var xs = pts[.., TensorIndex.Slice(0, null, 2)].clamp(0, c.Width);
            var ys = pts[.., TensorIndex.Slice(1, null, 2)].clamp(0, c.Height);
            pts = stack([xs, ys], -1).reshape(pts.shape[0], 8);
        }
        return pts.MoveToOuterDisposeScope();
    }

    /// <summary>
    /// Corner distances: centers [N, 2], points [N, 8] → [N, 8] in pixels (quadrant: negative = outside the
    /// quadrant; signed encoding: plain offsets).
    /// </summary>
    public static Tensor PointsToDistance(Tensor centers, Tensor points, CornerEncoding encoding = CornerEncoding.Quadrant)
    {
        using var scope = NewDisposeScope();
        var origin = centers[.., ..2].repeat(1, 4);
        return ((points - origin) * SignTensor(points.device, encoding)).MoveToOuterDisposeScope();
    }

    /// <summary>x sign of corner k under <paramref name="encoding"/>: the quadrant sign, or +1 when signed.</summary>
    public static float CornerSignX(CornerEncoding encoding, int k) => encoding == CornerEncoding.Signed ? 1f : QuadrantSigns.X[k];

    /// <summary>y sign of corner k under <paramref name="encoding"/>: the quadrant sign, or +1 when signed.</summary>
    public static float CornerSignY(CornerEncoding encoding, int k) => encoding == CornerEncoding.Signed ? 1f : QuadrantSigns.Y[k];

    /// <summary>[8] signs (sx0, sy0, ..., sx3, sy3) as float32.</summary>
    private static Tensor SignTensor(Device device, CornerEncoding encoding)
    {
        var s = new float[8];
        for (int k = 0; k < 4; k++)
        {
            s[2 * k] = CornerSignX(encoding, k);
            s[2 * k + 1] = CornerSignY(encoding, k);
        }
        return tensor(s, device: device);
    }
}
