using NanoDet.Abstractions.Export;
using NanoDet.Abstractions.Geometry;
using NanoDet.Abstractions.Model;
using NanoDet.Inference.Detections;
using NanoDet.Inference.Errors;
using NanoDet.Inference.Geometry;

namespace NanoDet.Export;

/// <summary>
/// The <c>--decode</c> tail of the ONNX graph (docs/reference.md#priors-and-codecs, docs/reference.md#onnx-export-convention): from [B, N, C + G·(R+1)] (scores after sigmoid, bin
/// logits) to [B, N, C + G] where the G = 4 + 2·points values are x1, y1, x2, y2 and the corners TL, BL, BR, TR as
/// x, y pairs, in input pixels, clamped to the input. Each group of R+1 logits goes through Softmax and a MatMul with
/// the bin values [0..R] (the integral); then one Mul and one Add with constants that bake in the priors: value =
/// centre + sign·stride·d, with centre = cx or cy and the quadrant signs of <see cref="DistanceCodec"/>; for the
/// signed corner encoding the corner constants are spacing·stride and centre + origin·stride (<see cref="CornerCodec"/>),
/// so the graph has the same nodes either way.
/// </summary>
internal static class OnnxDecodeGraph
{
    /// <summary>Appends the decode to <paramref name="raw"/> ([B, N, K]) and returns [B, N, C + G].</summary>
    public static OnnxValue Append(IOnnxGraphBuilder g, OnnxValue raw, HeadLayout layout, int width, int height)
    {
        var (scale, offset, limit) = Constants(layout, width, height);
        int c = layout.NumClasses, groups = layout.NumDistances, bins = layout.Bins;
        long b = raw.Shape[0], n = raw.Shape[1];
        if (raw.Shape[2] != layout.Channels) throw new ArgumentException($"decode expects {layout.Channels} channels, got {raw}");

        using var _ = g.Scope("decode");
        var scores = g.Slice(raw, 2, 0, c);
        var logits = g.Reshape(g.Slice(raw, 2, c, layout.Channels), b, n, groups, bins);
        var project = g.Constant("project", Enumerable.Range(0, bins).Select(i => (float)i).ToArray(), [bins, 1]);
        var expected = g.Reshape(g.MatMul(g.SoftmaxLastAxis(logits), project), b, n, groups);
        var pixels = g.Binary("Add", g.Binary("Mul", expected, g.Constant("scale", scale, [n, groups])), g.Constant("offset", offset, [n, groups]));
        // clamp(v, 0, L) = L − relu(L − relu(v)), L = W for x and H for y: Relu and Mul/Add with constants load in
        // every OpenCV DNN build (4.6 rejects Min/Max with a constant and the opset-11 Clip); the result differs
        // from the exact clamp by at most one float rounding of L (≈ 3e-5 px at 512).
        var minusOne = g.Constant("minus_one", [-1f], [1]);
        var limits = g.Constant("limit", limit, [groups]);
        var low = g.Op("Relu", [pixels], pixels.Shape);
        var room = g.Binary("Add", g.Binary("Mul", low, minusOne), limits);
        var headroom = g.Op("Relu", [room], room.Shape);
        var clamped = g.Binary("Add", g.Binary("Mul", headroom, minusOne), limits);
        return g.Concat([scores, clamped], 2);
    }

    /// <summary>
    /// Per prior and distance: signed stride [N, G], centre [N, G]; per distance: clamp limit [G] (W for x, H for y).
    /// Distance order: l, t, r, b, then TL.x, TL.y, BL.x, BL.y, BR.x, BR.y, TR.x, TR.y.
    /// </summary>
    public static (float[] Scale, float[] Offset, float[] Limit) Constants(HeadLayout layout, int width, int height)
    {
        var priors = PriorPoints.Enumerate(height, width, layout.Strides).ToArray();
        int groups = layout.NumDistances;
        var sign = new float[groups];
        var isX = new bool[groups];
        (sign[0], isX[0]) = (-1, true);
        (sign[1], isX[1]) = (-1, false);
        (sign[2], isX[2]) = (1, true);
        (sign[3], isX[3]) = (1, false);
        for (int q = 0; q < layout.NumPoints; q++)
        {
            (sign[4 + 2 * q], isX[4 + 2 * q]) = (QuadrantSigns.X[q], true);
            (sign[5 + 2 * q], isX[5 + 2 * q]) = (QuadrantSigns.Y[q], false);
        }
        var scale = new float[priors.Length * groups];
        var offset = new float[priors.Length * groups];
        bool signed = layout.CornerEncoding == CornerEncoding.Signed;
        var codec = layout.Corners;
        for (int i = 0; i < priors.Length; i++)
        {
            var (cx, cy, s) = priors[i];
            for (int j = 0; j < groups; j++)
            {
                if (signed && j >= 4)
                {
                    scale[i * groups + j] = codec.BinSpacing * s;
                    offset[i * groups + j] = (isX[j] ? cx : cy) + codec.BinOrigin * s;
                    continue;
                }
                scale[i * groups + j] = sign[j] * s;
                offset[i * groups + j] = isX[j] ? cx : cy;
            }
        }
        var limit = isX.Select(x => x ? (float)width : height).ToArray();
        return (scale, offset, limit);
    }
}
