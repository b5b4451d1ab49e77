using NanoDet.Abstractions.Data;
using NanoDet.Abstractions.Geometry;
using NanoDet.Abstractions.Plugins;
using OpenCvSharp;

namespace NanoDet.Datasets.Pipeline;

/// <summary>
/// NanoDet's training/validation pipeline (docs/reference.md#geometric-augmentation): one composed warp for the image (Cv2.WarpPerspective,
/// bilinear, black border), its boxes and corners; colour augmentation; normalisation to CHW. Stateless apart from
/// its settings, so loader workers may share it.
/// </summary>
public sealed class NanoDetSamplePipeline(InputSpec input, PipelineSettings settings) : ISamplePipeline
{
    private readonly double[] _mean = settings.Mean;
    private readonly double[] _std = settings.Std;

    public InputSpec Input { get; } = input;

    public PipelineSettings Settings { get; } = settings;

    public PreparedSample Prepare(Mat bgr, ImageRecord record, Random? rng)
    {
        var (shape, color) = rng is null ? (ShapeDraw.Identity, null) : (ShapeDraw.Sample(Settings, rng), ColorAugmentation.Sample(Settings, rng));
        return Prepare(bgr, record, shape, color);
    }

    /// <summary>The sample for given draws (tests and previews pick them by hand).</summary>
    public PreparedSample Prepare(Mat bgr, ImageRecord record, ShapeDraw shape, ColorDraw? color)
    {
        if (bgr.Type() != MatType.CV_8UC3) throw new ArgumentException("expected an 8-bit BGR image", nameof(bgr));
        int srcW = bgr.Cols, srcH = bgr.Rows;
        var (outW, outH) = ShapeTransform.OutputSize(srcW, srcH, Input.Width, Input.Height, Input.KeepRatio, Settings.Divisible);
        var m = ReferenceEquals(shape, ShapeDraw.Identity)
            ? ShapeTransform.Resize(srcW, srcH, outW, outH, Input.KeepRatio)
            : ShapeTransform.Compose(shape, srcW, srcH, outW, outH, Input.KeepRatio);

        // Labels are in the record's pixel space; a decoder that disagrees (EXIF rotation) would misplace them all.
        if (record.Width != srcW || record.Height != srcH)
            throw new InputDataException($"{record.Path}: decoded as {srcW}x{srcH} but the labels are for {record.Width}x{record.Height} (EXIF rotation?)");
        var warped = TargetWarper.Warp(record.Annotations, m, outW, outH, Settings.DropDegenerate);

        using var dst = new Mat();
        using (var mat = ToMat(m))
            Cv2.WarpPerspective(bgr, dst, mat, new Size(outW, outH), InterpolationFlags.Linear, BorderTypes.Constant, Scalar.All(0));
        using var f32 = new Mat();
        dst.ConvertTo(f32, MatType.CV_32FC3, 1.0 / 255);
        if (color is not null) ColorAugmentation.Apply(f32, color);
        var chw = ColorAugmentation.NormalizeToChw(f32, _mean, _std);
        return new PreparedSample(chw, outW, outH, warped, m, record);
    }

    private static Mat ToMat(WarpMatrix m)
    {
        var mat = new Mat(3, 3, MatType.CV_64FC1);
        var a = m.ToArray();
        for (int i = 0; i < 9; i++) mat.Set(i / 3, i % 3, a[i]);
        return mat;
    }
}
