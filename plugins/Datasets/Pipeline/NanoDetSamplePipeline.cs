using NanoDet.Abstractions.Data;
using NanoDet.Abstractions.Geometry;
using NanoDet.Abstractions.Plugins;
using NanoDet.Inference.Errors;
using NanoDet.Inference.Geometry;
using NanoDet.Inference.Preprocessing;
using OpenCvSharp;

namespace NanoDet.Datasets.Pipeline;

/// <summary>
/// NanoDet's training/validation pipeline (docs/reference.md#geometric-augmentation): one composed warp for the image (Cv2.WarpPerspective,
/// bilinear, black border), its boxes and corners; colour augmentation; normalisation to CHW. Stateless apart from
/// its settings, so loader workers may share it.
/// </summary>
public sealed class NanoDetSamplePipeline(InputSpec input, PipelineSettings settings) : IMixingSamplePipeline
{
    private readonly double[] _mean = settings.Mean;
    private readonly double[] _std = settings.Std;

    public InputSpec Input { get; } = input;

    public PipelineSettings Settings { get; } = settings;

    public PixelNormalization Normalization { get; } = new(settings.Mean, settings.Std);

    public PreparedSample Prepare(Mat bgr, ImageRecord record, Random? rng)
    {
        var (shape, color) = rng is null ? (ShapeDraw.Identity, null) : (ShapeDraw.Sample(Settings, rng), ColorAugmentation.Sample(Settings, rng));
        return Prepare(bgr, record, shape, color);
    }

    /// <summary>
    /// A training sample that may be a mosaic and may have a second image mixed in. Everything is drawn from
    /// <paramref name="rng"/> in this order: mosaic coin (and <see cref="MosaicDraw"/>), shape, colour, mixup coin
    /// (and partner index and its shape); partners come from <paramref name="source"/>. With both probabilities 0, or in the last
    /// <c>close_mosaic</c> epochs, the draws are exactly those of <see cref="Prepare(Mat, ImageRecord, Random?)"/>.
    /// A mosaic sample's <see cref="PreparedSample.Warp"/> maps the mosaic canvas, not the first image.
    /// </summary>
    public PreparedSample Prepare(Mat bgr, ImageRecord record, Random rng, MixSource source)
    {
        ArgumentNullException.ThrowIfNull(rng);
        if (!Settings.MixesIn(source.Epoch, source.TotalEpochs) || source.Dataset.Images.Count == 0) return Prepare(bgr, record, rng);
        var images = source.Dataset.Images;
        MosaicDraw? mosaic = Settings.MosaicProb > 0 && rng.NextDouble() < Settings.MosaicProb ? MosaicDraw.Sample(Settings, rng, images.Count) : null;
        var shape = ShapeDraw.Sample(Settings, rng);
        var color = ColorAugmentation.Sample(Settings, rng);
        int? partner = null;
        ShapeDraw? partnerShape = null;
        if (Settings.MixupProb > 0 && rng.NextDouble() < Settings.MixupProb)
        {
            partner = rng.Next(images.Count);
            partnerShape = ShapeDraw.Sample(Settings, rng);
        }

        Mat? canvas = null;
        try
        {
            if (mosaic is not null)
            {
                var mats = new List<Mat> { bgr };
                var records = new List<ImageRecord> { record };
                try
                {
                    foreach (int j in mosaic.Partners)
                    {
                        records.Add(images[j]);
                        mats.Add(source.Dataset.ReadImage(images[j]));
                    }
                    (canvas, record) = MosaicComposer.Compose(mats, records, mosaic, Input.Width, Input.Height, Settings.MosaicMinVisible);
                }
                finally
                {
                    for (int i = 1; i < mats.Count; i++) mats[i].Dispose();
                }
            }
            var (dst, targets, m) = WarpImage(canvas ?? bgr, record, shape, null);
            using (dst)
            {
                if (partner is { } j)
                {
                    var other = images[j];
                    using var otherImage = source.Dataset.ReadImage(other);
                    var (otherDst, otherTargets, _) = WarpImage(otherImage, other, partnerShape!, (dst.Cols, dst.Rows));
                    using (otherDst) Cv2.AddWeighted(dst, 0.5, otherDst, 0.5, 0, dst);
                    targets.AddRange(otherTargets);
                }
                return Finish(dst, targets, m, record, color);
            }
        }
        finally
        {
            canvas?.Dispose();
        }
    }

    public PreparedSample Prepare(Mat bgr, ImageRecord record, Random rng, IDetectionDataset dataset, int epoch, int totalEpochs) =>
        Prepare(bgr, record, rng, new MixSource(dataset, epoch, totalEpochs));

    /// <summary>The sample for given draws (tests and previews pick them by hand).</summary>
    public PreparedSample Prepare(Mat bgr, ImageRecord record, ShapeDraw shape, ColorDraw? color)
    {
        var (dst, warped, m) = WarpImage(bgr, record, shape, null);
        using (dst) return Finish(dst, warped, m, record, color);
    }

    /// <summary>
    /// The warped 8-bit image (caller disposes), targets and matrix for one shape draw; <paramref name="outSize"/>
    /// forces the output size (a mixup partner takes the first image's), else it follows from the input spec.
    /// </summary>
    private (Mat Image, List<Annotation> Targets, WarpMatrix Matrix) WarpImage(Mat bgr, ImageRecord record, ShapeDraw shape, (int W, int H)? outSize)
    {
        if (bgr.Type() != MatType.CV_8UC3) throw new ArgumentException("expected an 8-bit BGR image", nameof(bgr));
        int srcW = bgr.Cols, srcH = bgr.Rows;
        var (outW, outH) = outSize ?? InputTransform.OutputSize(srcW, srcH, Input.Width, Input.Height, Input.KeepRatio, Settings.Divisible);
        var m = ReferenceEquals(shape, ShapeDraw.Identity)
            ? InputTransform.Resize(srcW, srcH, outW, outH, Input.KeepRatio)
            : ShapeTransform.Compose(shape, srcW, srcH, outW, outH, Input.KeepRatio);

        // Labels are in the record's pixel space; a decoder that disagrees (EXIF rotation) would misplace them all.
        if (record.Width != srcW || record.Height != srcH)
            throw new InputDataException($"{record.Path}: decoded as {srcW}x{srcH} but the labels are for {record.Width}x{record.Height} (EXIF rotation?)");
        var warped = TargetWarper.Warp(record.Annotations, m, outW, outH, Settings.DropDegenerate);

        return (InputTransform.Warp(bgr, m, outW, outH), warped, m);
    }

    private PreparedSample Finish(Mat dst, List<Annotation> targets, WarpMatrix m, ImageRecord record, ColorDraw? color)
    {
        using var f32 = new Mat();
        dst.ConvertTo(f32, MatType.CV_32FC3, 1.0 / 255);
        if (color is not null) ColorAugmentation.Apply(f32, color);
        var chw = InputTransform.NormalizeToChw(f32, _mean, _std);
        return new PreparedSample(chw, dst.Cols, dst.Rows, targets, m, record);
    }
}
