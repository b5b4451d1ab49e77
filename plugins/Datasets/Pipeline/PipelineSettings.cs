using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Configuration;

namespace NanoDet.Datasets.Pipeline;

/// <summary>
/// NanoDet's <c>pipeline</c> keys (docs/reference.md#geometric-augmentation, docs/reference.md#colour-augmentation-and-normalisation) with NanoDet's defaults (no augmentation), plus
/// <c>divisible</c> (keep_ratio output sides rounded up to a multiple) and <c>drop_degenerate</c>.
/// </summary>
public sealed class PipelineSettings : IValidatableObject
{
    /// <summary>P[2,0], P[2,1] ~ U(−p, p).</summary>
    [ConfigurationKeyName("perspective")]
    public double Perspective { get; set; }

    /// <summary>[lo, hi] of the uniform scale.</summary>
    [ConfigurationKeyName("scale")]
    public List<double>? Scale { get; set; }

    /// <summary>[[w lo, w hi], [h lo, h hi]] of the stretch.</summary>
    [ConfigurationKeyName("stretch")]
    public List<List<double>>? Stretch { get; set; }

    /// <summary>Rotation ~ U(−deg, deg) about the image centre.</summary>
    [ConfigurationKeyName("rotation")]
    public double Rotation { get; set; }

    /// <summary>Shear angles ~ U(−deg, deg), x and y drawn independently.</summary>
    [ConfigurationKeyName("shear")]
    public double Shear { get; set; }

    /// <summary>Centre translation U(0.5 − t, 0.5 + t) × source size.</summary>
    [ConfigurationKeyName("translate")]
    public double Translate { get; set; }

    /// <summary>Probability of a horizontal flip (corners are relabelled, docs/reference.md#horizontal-flip-and-corner-labels).</summary>
    [ConfigurationKeyName("flip")]
    public double Flip { get; set; }

    /// <summary>Brightness offset ~ U(−δ, δ) in [0, 1] units, with probability 0.5; absent = never.</summary>
    [ConfigurationKeyName("brightness")]
    public double? Brightness { get; set; }

    /// <summary>Contrast gain [lo, hi], with probability 0.5; absent = never.</summary>
    [ConfigurationKeyName("contrast")]
    public List<double>? Contrast { get; set; }

    /// <summary>HSV saturation gain [lo, hi], with probability 0.5; absent = never.</summary>
    [ConfigurationKeyName("saturation")]
    public List<double>? Saturation { get; set; }

    /// <summary>[[mean B, G, R], [std B, G, R]] on the 0..255 scale.</summary>
    [ConfigurationKeyName("normalize")]
    public List<List<double>>? Normalize { get; set; }

    /// <summary>keep_ratio only: round each output side up to a multiple of this (0 = off), as NanoDet's ShapeTransform.</summary>
    [ConfigurationKeyName("divisible")]
    [Range(0, 4096)]
    public int Divisible { get; set; }

    /// <summary>
    /// Drop objects whose warped, clipped box is under 1 px wide or high (docs/reference.md#degenerate-objects; NanoDet keeps
    /// them). Default true.
    /// </summary>
    [ConfigurationKeyName("drop_degenerate")]
    public bool DropDegenerate { get; set; } = true;

    /// <summary>Probability that a training sample is a mosaic of four images (0 = off), see <see cref="MosaicComposer"/>.</summary>
    [ConfigurationKeyName("mosaic_prob")]
    public double MosaicProb { get; set; }

    /// <summary>[lo, hi] of the extra scale of each mosaic tile, on top of the scale that fits the image to the input.</summary>
    [ConfigurationKeyName("mosaic_scale")]
    public List<double>? MosaicScale { get; set; }

    /// <summary>Keep a plate cut by a mosaic tile border while at least this fraction of its box stays visible.</summary>
    [ConfigurationKeyName("mosaic_min_visible")]
    public double MosaicMinVisible { get; set; } = 0.3;

    /// <summary>Probability of blending a second warped image (half each) into a training sample, labels of both kept.</summary>
    [ConfigurationKeyName("mixup_prob")]
    public double MixupProb { get; set; }

    /// <summary>Mosaic and mixup are off for the last N epochs of a run (Ultralytics' <c>close_mosaic</c>).</summary>
    [ConfigurationKeyName("close_mosaic")]
    [Range(0, 100000)]
    public int CloseMosaic { get; set; }

    public static readonly double[] DefaultMean = [103.53, 116.28, 123.675];
    public static readonly double[] DefaultStd = [57.375, 57.12, 58.395];

    public (double Lo, double Hi) ScaleRange => Scale is { Count: 2 } s ? (s[0], s[1]) : (1, 1);

    public (double Lo, double Hi) StretchW => Stretch is { Count: 2 } s && s[0].Count == 2 ? (s[0][0], s[0][1]) : (1, 1);

    public (double Lo, double Hi) StretchH => Stretch is { Count: 2 } s && s[1].Count == 2 ? (s[1][0], s[1][1]) : (1, 1);

    public (double Lo, double Hi) MosaicScaleRange => MosaicScale is { Count: 2 } s ? (s[0], s[1]) : (0.5, 1.5);

    /// <summary>True when mosaic or mixup may be drawn in <paramref name="epoch"/> (0-based) of a run of <paramref name="totalEpochs"/> (0 = unknown).</summary>
    public bool MixesIn(int epoch, int totalEpochs) =>
        (MosaicProb > 0 || MixupProb > 0) && (totalEpochs <= 0 || epoch < totalEpochs - CloseMosaic);

    public double[] Mean => Normalize is { Count: 2 } n && n[0].Count == 3 ? n[0].ToArray() : DefaultMean;

    public double[] Std => Normalize is { Count: 2 } n && n[1].Count == 3 ? n[1].ToArray() : DefaultStd;

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (Scale is not null && (Scale.Count != 2 || Scale[0] <= 0 || Scale[1] < Scale[0]))
            yield return new ValidationResult("must be [lo, hi] with 0 < lo <= hi", [nameof(Scale)]);
        if (Stretch is not null && (Stretch.Count != 2 || Stretch.Any(r => r.Count != 2 || r[0] <= 0 || r[1] < r[0])))
            yield return new ValidationResult("must be [[w lo, w hi], [h lo, h hi]] with 0 < lo <= hi", [nameof(Stretch)]);
        if (Flip is < 0 or > 1)
            yield return new ValidationResult("must be a probability in [0, 1]", [nameof(Flip)]);
        if (Translate is < 0 or > 1)
            yield return new ValidationResult("must be in [0, 1]", [nameof(Translate)]);
        if (Perspective < 0 || Rotation < 0 || Shear < 0 || Brightness < 0)
            yield return new ValidationResult("perspective, rotation, shear and brightness must not be negative", [nameof(Perspective)]);
        if (Shear >= 90)
            yield return new ValidationResult("must be below 90 degrees", [nameof(Shear)]);
        foreach (var (list, name) in new[] { (Contrast, nameof(Contrast)), (Saturation, nameof(Saturation)) })
            if (list is not null && (list.Count != 2 || list[0] < 0 || list[1] < list[0]))
                yield return new ValidationResult("must be [lo, hi] with 0 <= lo <= hi", [name]);
        if (MosaicProb is < 0 or > 1)
            yield return new ValidationResult("must be a probability in [0, 1]", [nameof(MosaicProb)]);
        if (MixupProb is < 0 or > 1)
            yield return new ValidationResult("must be a probability in [0, 1]", [nameof(MixupProb)]);
        if (MosaicMinVisible is < 0 or > 1)
            yield return new ValidationResult("must be a fraction in [0, 1]", [nameof(MosaicMinVisible)]);
        if (MosaicScale is not null && (MosaicScale.Count != 2 || MosaicScale[0] <= 0 || MosaicScale[1] < MosaicScale[0]))
            yield return new ValidationResult("must be [lo, hi] with 0 < lo <= hi", [nameof(MosaicScale)]);
        if (Normalize is not null && (Normalize.Count != 2 || Normalize[0].Count != 3 || Normalize[1].Count != 3 || Normalize[1].Any(s => s <= 0)))
            yield return new ValidationResult("must be [[mean B, G, R], [std B, G, R]] with positive std", [nameof(Normalize)]);
    }
}
