using NanoDet.Inference.Detections;
using NanoDet.Inference.Errors;
using NanoDet.Inference.Geometry;

namespace NanoDet.Inference.PostProcessing;

/// <summary>
/// The reference post-process (docs/reference.md#post-processing), shared by every inference backend: multi-label candidates with a
/// score strictly above the threshold (prior-major, then class), box and corner decoding (integral × stride,
/// quadrant signs or the signed encoding's [−R, R] bins per the layout, clamped to the padded input), class-aware NMS carrying corners, at most max_num
/// detections, then boxes and corners mapped back to the original image with the inverse warp.
/// Plain C# over the raw output so TorchSharp, ONNX Runtime and OpenCV DNN results go through the same code.
/// </summary>
public sealed class NanoDetPostProcessor(NanoDetPostProcessOptions options) : IDetectionPostProcessor
{
    public NanoDetPostProcessOptions Options { get; } = options;

    public IReadOnlyList<Detection>[] Process(ReadOnlySpan<float> output, int batch, HeadLayout layout,
        int inputWidth, int inputHeight, IReadOnlyList<ImageGeometry> images, bool decoded = false)
    {
        var priors = PriorPoints.Enumerate(inputHeight, inputWidth, layout.Strides).ToArray();
        int n = priors.Length;
        int c = layout.NumClasses;
        int k = decoded ? c + 4 + 2 * layout.NumPoints : layout.Channels;
        if (output.Length != (long)batch * n * k)
            throw new ArgumentException(
                $"output has {output.Length} values, expected {batch}×{n}×{k} for a {inputWidth}×{inputHeight} input");
        if (images.Count != batch) throw new ArgumentException("one ImageGeometry per batch image is required", nameof(images));

        var result = new IReadOnlyList<Detection>[batch];
        for (int b = 0; b < batch; b++)
            result[b] = ProcessImage(output.Slice(b * n * k, n * k), priors, layout, k, inputWidth, inputHeight, images[b], decoded);
        return result;
    }

    private List<Detection> ProcessImage(ReadOnlySpan<float> o, (float Cx, float Cy, int Stride)[] priors, HeadLayout layout,
        int k, int inputWidth, int inputHeight, ImageGeometry geometry, bool decoded)
    {
        int c = layout.NumClasses;
        var candPrior = new List<int>();
        var candScore = new List<float>();
        var candLabel = new List<int>();
        for (int i = 0; i < priors.Length; i++)
        {
            var row = o.Slice(i * k, c);
            for (int j = 0; j < c; j++)
            {
                if (row[j] > Options.ScoreThreshold)
                {
                    candPrior.Add(i);
                    candScore.Add(row[j]);
                    candLabel.Add(j);
                }
            }
        }
        if (candPrior.Count == 0) return [];

        // Decode each candidate prior once (a prior may carry several classes).
        var decodedBoxes = new Dictionary<int, (Box Box, Quad? Points)>();
        Span<float> dist = stackalloc float[layout.NumDistances];
        Span<float> xy = stackalloc float[8];
        foreach (var i in candPrior)
        {
            if (!decodedBoxes.ContainsKey(i))
                decodedBoxes[i] = DecodePrior(o.Slice(i * k, k), priors[i], layout, inputWidth, inputHeight, decoded, dist, xy);
        }

        var boxes = new float[candPrior.Count * 4];
        for (int m = 0; m < candPrior.Count; m++)
        {
            var bx = decodedBoxes[candPrior[m]].Box;
            boxes[4 * m] = bx.X1; boxes[4 * m + 1] = bx.Y1; boxes[4 * m + 2] = bx.X2; boxes[4 * m + 3] = bx.Y2;
        }
        var kept = ClassAwareNms.Run(boxes, candScore.ToArray(), candLabel.ToArray(), Options.NmsIou, Options.MaxDetections);

        var back = geometry.Warp.Inverse();
        var detections = new List<Detection>(kept.Count);
        foreach (var m in kept)
        {
            var (box, quad) = decodedBoxes[candPrior[m]];
            detections.Add(new Detection(
                candLabel[m],
                back.ApplyToBox(box, geometry.OriginalWidth, geometry.OriginalHeight),
                candScore[m],
                quad is { } q ? back.ApplyToQuad(q, geometry.OriginalWidth, geometry.OriginalHeight) : null));
        }
        return detections;
    }

    /// <summary>
    /// Box and corners of one prior in input pixels, clamped to the padded input: from bin logits (integral
    /// × stride, quadrant signs) or, for the decoded ONNX variant, taken as given.
    /// </summary>
    private static (Box Box, Quad? Points) DecodePrior(ReadOnlySpan<float> row, (float Cx, float Cy, int Stride) prior,
        HeadLayout layout, int inputWidth, int inputHeight, bool decoded, Span<float> dist, Span<float> xy)
    {
        int c = layout.NumClasses;
        var (cx, cy, s) = prior;
        if (decoded)
        {
            row.Slice(c + 4, 2 * layout.NumPoints).CopyTo(xy);
            var box = new Box(row[c], row[c + 1], row[c + 2], row[c + 3]);
            return Clamp(box, layout.NumPoints == 4 ? xy : default, inputWidth, inputHeight);
        }
        Integrate(row[c..], layout.Bins, dist);
        var b = new Box(cx - dist[0] * s, cy - dist[1] * s, cx + dist[2] * s, cy + dist[3] * s);
        if (layout.NumPoints == 4 && layout.CornerEncoding == CornerEncoding.Signed)
        {
            var codec = layout.Corners;
            for (int i = 0; i < 8; i++)
                xy[i] = (i % 2 == 0 ? cx : cy) + codec.BinsToStrides(dist[4 + i]) * s;
        }
        else if (layout.NumPoints == 4)
        {
            for (int q = 0; q < 4; q++)
            {
                xy[2 * q] = cx + QuadrantSigns.X[q] * dist[4 + 2 * q] * s;
                xy[2 * q + 1] = cy + QuadrantSigns.Y[q] * dist[5 + 2 * q] * s;
            }
        }
        return Clamp(b, layout.NumPoints == 4 ? xy : default, inputWidth, inputHeight);
    }

    private static (Box, Quad?) Clamp(Box b, Span<float> xy, int w, int h)
    {
        var box = new Box(Math.Clamp(b.X1, 0, w), Math.Clamp(b.Y1, 0, h), Math.Clamp(b.X2, 0, w), Math.Clamp(b.Y2, 0, h));
        if (xy.IsEmpty) return (box, null);
        for (int q = 0; q < 4; q++)
        {
            xy[2 * q] = Math.Clamp(xy[2 * q], 0, w);
            xy[2 * q + 1] = Math.Clamp(xy[2 * q + 1], 0, h);
        }
        return (box, Quad.FromArray(xy));
    }

    /// <summary>Softmax expectation over each group of <paramref name="bins"/> logits: [G·bins] → [G] in stride units.</summary>
    public static void Integrate(ReadOnlySpan<float> logits, int bins, Span<float> result)
    {
        for (int g = 0; g < result.Length; g++)
        {
            var z = logits.Slice(g * bins, bins);
            float max = float.NegativeInfinity;
            foreach (var v in z) max = Math.Max(max, v);
            double sum = 0, weighted = 0;
            for (int i = 0; i < bins; i++)
            {
                double e = Math.Exp(z[i] - max);
                sum += e;
                weighted += i * e;
            }
            result[g] = (float)(weighted / sum);
        }
    }
}
