using NanoDet.Abstractions.Geometry;
using NanoDet.Inference.Errors;
using NanoDet.Inference.Geometry;
using static TorchSharp.torch;

namespace NanoDet.Heads.Tests.Training;

/// <summary>A random but plausible assigner input: 320×320 priors, predictions a few strides around each prior, M objects.</summary>
internal static class RandomImage
{
    /// <returns>priors [N, 4], logits [N, C], boxes [N, 4], points [N, 8], GT boxes [M, 4], labels [M], GT points [M, 8].</returns>
    public static (Tensor Priors, Tensor Logits, Tensor Boxes, Tensor Points, Tensor GtBoxes, Tensor GtLabels, Tensor GtPoints)
        Create(Generator gen, int h, int w, int m, int c)
    {
        var priors = PriorGrid.Priors(h, w, [8, 16, 32, 64]);
        long n = priors.shape[0];
        var centers = priors[.., ..2];
        var stride = priors[.., 2..3];
        var boxes = DistanceCodec.DistanceToBox(centers, rand([n, 4], generator: gen) * 5 * stride + 2);
        var points = DistanceCodec.DistanceToPoints(centers, rand([n, 8], generator: gen) * 5 * stride + 2);
        var logits = randn([n, c], generator: gen) * 2 - 3;

        var xy = rand([m, 2], generator: gen) * (w - 140);
        var wh = rand([m, 2], generator: gen) * 100 + 20;
        var gtBoxes = cat([xy, xy + wh], 1);
        var x1 = gtBoxes[.., 0..1]; var y1 = gtBoxes[.., 1..2]; var x2 = gtBoxes[.., 2..3]; var y2 = gtBoxes[.., 3..4];
        var gtPoints = cat([x1, y1, x1, y2, x2, y2, x2, y1], 1) + (rand([m, 8], generator: gen) - 0.5f) * 6;
        var gtLabels = randint(0, c, [m], generator: gen);
        return (priors, logits, boxes, points, gtBoxes, gtLabels, gtPoints);
    }
}
