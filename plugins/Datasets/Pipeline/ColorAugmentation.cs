using OpenCvSharp;

namespace NanoDet.Datasets.Pipeline;

/// <summary>
/// NanoDet's <c>color_aug_and_norm</c> (docs/reference.md#colour-augmentation-and-normalisation) on a float32 BGR image scaled to [0, 1]: brightness (+δ),
/// contrast (×α, a pure gain), saturation (×α on S of OpenCV's float HSV), each with probability 0.5 in that
/// order, no clipping; then per-channel normalisation and HWC → CHW.
/// </summary>
public static class ColorAugmentation
{
    /// <summary>Draws in NanoDet's order: a coin per configured step, then its value when the coin says so.</summary>
    public static ColorDraw Sample(PipelineSettings s, Random rng)
    {
        double? b = null, c = null, sat = null;
        if (s.Brightness is { } delta && rng.Next(2) == 1) b = ShapeDraw.Uniform(rng, -delta, delta);
        if (s.Contrast is { Count: 2 } cr && rng.Next(2) == 1) c = ShapeDraw.Uniform(rng, cr[0], cr[1]);
        if (s.Saturation is { Count: 2 } sr && rng.Next(2) == 1) sat = ShapeDraw.Uniform(rng, sr[0], sr[1]);
        return new ColorDraw(b, c, sat);
    }

    /// <summary>Applies <paramref name="d"/> in place to a CV_32FC3 BGR image in [0, 1] units.</summary>
    public static unsafe void Apply(Mat f32, ColorDraw d)
    {
        if (d.Brightness is not null || d.Contrast is not null)
        {
            float add = (float)(d.Brightness ?? 0), gain = (float)(d.Contrast ?? 1);
            var span = Pixels(f32);
            for (int i = 0; i < span.Length; i++) span[i] = (span[i] + add) * gain;
        }
        if (d.Saturation is { } alpha)
        {
            using var hsv = new Mat();
            Cv2.CvtColor(f32, hsv, ColorConversionCodes.BGR2HSV);
            var span = Pixels(hsv);
            float a = (float)alpha;
            for (int i = 1; i < span.Length; i += 3) span[i] *= a;
            Cv2.CvtColor(hsv, f32, ColorConversionCodes.HSV2BGR);
        }
    }

    /// <summary>The float pixels of a continuous CV_32FC3 Mat.</summary>
    private static unsafe Span<float> Pixels(Mat m)
    {
        if (!m.IsContinuous() || m.Type() != MatType.CV_32FC3) throw new ArgumentException("expected a continuous CV_32FC3 image", nameof(m));
        return new Span<float>((void*)m.Data, m.Rows * m.Cols * 3);
    }
}
