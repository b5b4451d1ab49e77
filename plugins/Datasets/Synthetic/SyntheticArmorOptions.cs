using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Configuration;
using NanoDet.Abstractions.Data;
using NanoDet.Datasets.Common;
using NanoDet.Inference.Errors;
using NanoDet.Inference.Geometry;
using NanoDet.Inference.Pose;

namespace NanoDet.Datasets.Synthetic;

/// <summary>
/// Options of <c>SyntheticArmor</c>: what the generator draws (all keys snake_case in the dataset section) and
/// where the images go. Classes: every name of <c>class_names</c> in the colour × sticker scheme whose colour is in
/// <c>colors</c> and whose sticker is in <c>numbers</c>.
/// </summary>
public sealed class SyntheticArmorOptions : DatasetOptions
{
    /// <summary>Number of images.</summary>
    [ConfigurationKeyName(DatasetKeys.Count)]
    [Range(1, 10_000_000)]
    public int Count { get; set; } = 2000;

    /// <summary>Base seed; image i depends only on (seed, split, i).</summary>
    [ConfigurationKeyName(DatasetKeys.Seed)]
    public int Seed { get; set; }

    /// <summary>Stream name mixed into the seed so train and val never share images (e.g. <c>train</c>, <c>val</c>).</summary>
    [ConfigurationKeyName(DatasetKeys.Split)]
    public string Split { get; set; } = "train";

    /// <summary>[w, h] of the generated images.</summary>
    [ConfigurationKeyName("image_size")]
    public List<int>? ImageSize { get; set; }

    /// <summary>Light colours to draw: blue, red, none (grey, lights off), purple. Default: all.</summary>
    [ConfigurationKeyName("colors")]
    public List<string>? Colors { get; set; }

    /// <summary>Stickers to draw: G, 1, 2, 3, 4, 5, O, Bs, Bb. Default: all.</summary>
    [ConfigurationKeyName("numbers")]
    public List<string>? Numbers { get; set; }

    /// <summary>[min, max] armor plates per image (uniform).</summary>
    [ConfigurationKeyName("objects_per_image")]
    public List<int>? ObjectsPerImage { get; set; }

    /// <summary>[min, max] light-bar length as a fraction of the image height (log-uniform).</summary>
    [ConfigurationKeyName("bar_length")]
    public List<double>? BarLength { get; set; }

    /// <summary>Fraction of images without any plate (distractors only).</summary>
    [ConfigurationKeyName("negative_fraction")]
    [Range(0.0, 1.0)]
    public double NegativeFraction { get; set; } = 0.05;

    /// <summary>Probability that a plate is partly covered by an occluder (the light bars stay visible).</summary>
    [ConfigurationKeyName("occlusion")]
    [Range(0.0, 1.0)]
    public double Occlusion { get; set; } = 0.15;

    /// <summary>Probability of motion or defocus blur per image.</summary>
    [ConfigurationKeyName("blur")]
    [Range(0.0, 1.0)]
    public double Blur { get; set; } = 0.5;

    /// <summary>Largest sensor-noise standard deviation in grey levels.</summary>
    [ConfigurationKeyName("noise")]
    [Range(0.0, 64.0)]
    public double Noise { get; set; } = 6;

    /// <summary>Largest plate yaw (turn about the vertical axis) in degrees.</summary>
    [ConfigurationKeyName("max_yaw")]
    [Range(0.0, 80.0)]
    public double MaxYaw { get; set; } = 55;

    /// <summary>Largest plate pitch in degrees (RoboMaster armor is tilted ~15° backwards).</summary>
    [ConfigurationKeyName("max_pitch")]
    [Range(0.0, 60.0)]
    public double MaxPitch { get; set; } = 25;

    /// <summary>Largest in-plane rotation in degrees.</summary>
    [ConfigurationKeyName("max_roll")]
    [Range(0.0, 90.0)]
    public double MaxRoll { get; set; } = 20;

    /// <summary>[min, max] stray lights (single bars, LEDs) per image.</summary>
    [ConfigurationKeyName("distractors")]
    public List<int>? Distractors { get; set; }

    /// <summary>
    /// <c>screen</c> (default): plates placed by image size and a screen-space perspective, as always.
    /// <c>pinhole</c>: plates of physical size (<c>plates</c>) at 3-D poses <c>distance</c> metres away, seen through
    /// <c>camera</c> (default: a 1280×1024 industrial camera, scaled to <c>image_size</c>); each plate's true pose is
    /// written with its annotation.
    /// </summary>
    [ConfigurationKeyName("projection")]
    [RegularExpression("(?i)^(screen|pinhole)$", ErrorMessage = "must be screen or pinhole")]
    public string Projection { get; set; } = "screen";

    /// <summary>Pinhole mode: the camera (same keys as the top-level <c>camera</c> section).</summary>
    [ConfigurationKeyName("camera")]
    public CameraOptions? Camera { get; set; }

    /// <summary>Pinhole mode: plate sizes per class (same keys as the top-level <c>plates</c> section).</summary>
    [ConfigurationKeyName("plates")]
    public PlateOptions? Plates { get; set; }

    /// <summary>Pinhole mode: [min, max] distance camera → plate centre in metres (uniform).</summary>
    [ConfigurationKeyName("distance")]
    public List<double>? Distance { get; set; }

    /// <summary>True in pinhole mode.</summary>
    public bool IsPinhole => string.Equals(Projection.Trim(), "pinhole", StringComparison.OrdinalIgnoreCase);

    /// <summary>jpg (default) or png.</summary>
    [ConfigurationKeyName("image_format")]
    [RegularExpression("(?i)^(jpg|png)$", ErrorMessage = "must be jpg or png")]
    public string ImageFormat { get; set; } = "jpg";

    [ConfigurationKeyName("jpeg_quality")]
    [Range(10, 100)]
    public int JpegQuality { get; set; } = 92;

    /// <summary>Cache root (default: $NANODET_CACHE, else the user cache folder, else .cache in the working directory).</summary>
    [ConfigurationKeyName(DatasetKeys.CacheDir)]
    public string? CacheDir { get; set; }

    /// <summary>Generate into this folder instead of the cache (used by <c>nanodet synth</c>); it must not exist yet.</summary>
    [ConfigurationKeyName(DatasetKeys.OutputDir)]
    public string? OutputDir { get; set; }

    /// <summary>
    /// With <c>output_dir</c>: keep the COCO annotations the generator writes and reads back (default); false removes
    /// the file once the dataset is loaded (<c>nanodet synth</c> when <c>--format</c> leaves out coco).
    /// </summary>
    [ConfigurationKeyName(DatasetKeys.KeepCoco)]
    public bool KeepCoco { get; set; } = true;

    /// <summary>
    /// Fraction of plates that may be cut by the frame edge, labelled with their true corners outside the image
    /// (at most 5 % of the image size out, one corner at least visible); 0 (default) keeps every plate inside.
    /// </summary>
    [ConfigurationKeyName("border_fraction")]
    [Range(0.0, 1.0)]
    public double BorderFraction { get; set; }

    /// <summary>Generator threads (0 = all cores). The output does not depend on it.</summary>
    [ConfigurationKeyName("workers")]
    [Range(0, 256)]
    public int Workers { get; set; }

    public override IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        foreach (var r in base.Validate(validationContext)) yield return r;
        if (ImageSize is { } s && (s.Count != 2 || s[0] < 64 || s[1] < 64 || s[0] > 8192 || s[1] > 8192))
            yield return new ValidationResult("must be [width, height] between 64 and 8192", [nameof(ImageSize)]);
        if (ObjectsPerImage is { } o && (o.Count != 2 || o[0] < 0 || o[1] < o[0] || o[1] > 64))
            yield return new ValidationResult("must be [min, max] with 0 <= min <= max <= 64", [nameof(ObjectsPerImage)]);
        if (Distractors is { } d && (d.Count != 2 || d[0] < 0 || d[1] < d[0] || d[1] > 64))
            yield return new ValidationResult("must be [min, max] with 0 <= min <= max <= 64", [nameof(Distractors)]);
        if (BarLength is { } b && (b.Count != 2 || b[0] <= 0 || b[1] < b[0] || b[1] > 0.6))
            yield return new ValidationResult("must be [min, max] fractions of the image height with 0 < min <= max <= 0.6", [nameof(BarLength)]);
        if (Colors is { } c && c.FirstOrDefault(x => ArmorClassScheme.ColorPrefix(x) is null) is { } badColor)
            yield return new ValidationResult($"unknown colour '{badColor}' (blue, red, none, purple)", [nameof(Colors)]);
        if (Numbers is { } n && n.FirstOrDefault(x => ArmorClassScheme.StickerName(x) is null) is { } badNumber)
            yield return new ValidationResult($"unknown sticker '{badNumber}' ({string.Join(", ", ArmorClassScheme.Stickers)})", [nameof(Numbers)]);
        if (Distance is { } dist && (dist.Count != 2 || !(dist[0] > 0) || dist[1] < dist[0] || dist[1] > 1000))
            yield return new ValidationResult("must be [min, max] metres with 0 < min <= max <= 1000", [nameof(Distance)]);
        if (string.IsNullOrWhiteSpace(Split))
            yield return new ValidationResult("must not be empty", [nameof(Split)]);
    }
}
