namespace NanoDet.Datasets.Pipeline;

/// <summary>
/// The random values of one mosaic (see <see cref="MosaicComposer"/>): the three other dataset images, the point
/// where the four tiles meet and each tile's extra scale.
/// </summary>
/// <param name="Partners">Dataset indices of the top-right, bottom-left and bottom-right tiles (the sample itself is top-left).</param>
/// <param name="CenterX">x where the tiles meet, as a fraction of the canvas width, in [0.25, 0.75].</param>
/// <param name="CenterY">y where the tiles meet, as a fraction of the canvas height, in [0.25, 0.75].</param>
/// <param name="Scales">Extra scale of each of the four tiles, drawn from <c>mosaic_scale</c>.</param>
public sealed record MosaicDraw(int[] Partners, double CenterX, double CenterY, double[] Scales)
{
    /// <summary>Draws partners, centre and scales in that order.</summary>
    public static MosaicDraw Sample(PipelineSettings s, Random rng, int datasetCount)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(datasetCount, 1);
        var partners = new int[3];
        for (int i = 0; i < 3; i++) partners[i] = rng.Next(datasetCount);
        double cx = ShapeDraw.Uniform(rng, 0.25, 0.75);
        double cy = ShapeDraw.Uniform(rng, 0.25, 0.75);
        var (lo, hi) = s.MosaicScaleRange;
        var scales = new double[4];
        for (int i = 0; i < 4; i++) scales[i] = ShapeDraw.Uniform(rng, lo, hi);
        return new MosaicDraw(partners, cx, cy, scales);
    }
}
