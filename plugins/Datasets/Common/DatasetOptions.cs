using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Configuration;
using NanoDet.Abstractions.Data;
using NanoDet.Abstractions.Plugins;
using NanoDet.Inference.Errors;
using NanoDet.Inference.Geometry;

namespace NanoDet.Datasets.Common;

/// <summary>
/// Keys every dataset plugin reads from its section (<c>data:train</c>, <c>data:val</c>). The section also
/// configures the augmentation pipeline (<c>pipeline</c>, bound by the pipeline plugin); <c>input_size</c> and
/// <c>keep_ratio</c> are NanoDet's dataset keys and are read by both.
/// </summary>
[SharedSection(DatasetKeys.Pipeline)]
public class DatasetOptions : IValidatableObject
{
    /// <summary>Class names, label = index (NanoDet's <c>class_names</c>). Default: the seed's 36 armor classes.</summary>
    [ConfigurationKeyName(DatasetKeys.ClassNames)]
    public List<string>? ClassNames { get; set; }

    /// <summary>Image folder; file names in labels are relative to it.</summary>
    [ConfigurationKeyName(DatasetKeys.ImagePath)]
    public string? ImgPath { get; set; }

    /// <summary>Annotations: a folder (XML, txt) or a file (COCO JSON).</summary>
    [ConfigurationKeyName(DatasetKeys.AnnotationPath)]
    public string? AnnPath { get; set; }

    /// <summary>Corner order in the files (read by <see cref="PointOrder.FromSection"/>; a name or an index list).</summary>
    [ConfigurationKeyName(DatasetKeys.PointOrder)]
    public string? PointOrder { get; set; }

    /// <summary>Stop at the first bad image or object instead of skipping it.</summary>
    [ConfigurationKeyName(DatasetKeys.Strict)]
    public bool Strict { get; set; }

    /// <summary>Box clipping: <c>image</c> (default, the fix of docs/reference.md#box-clipping), <c>reference</c> (NanoDet XML parity) or <c>none</c>.</summary>
    [ConfigurationKeyName("bbox_clip")]
    [RegularExpression("(?i)^(image|reference|none)$", ErrorMessage = "must be image, reference or none")]
    public string BboxClip { get; set; } = "image";

    /// <summary>Objects must have four corners (false allows box-only objects, e.g. for box-only evaluation).</summary>
    [ConfigurationKeyName("require_points")]
    public bool RequirePoints { get; set; } = true;

    /// <summary>Corners may lie outside the written box by this fraction of its longer side (+1 px); negative disables.</summary>
    [ConfigurationKeyName("points_box_tolerance")]
    public double PointsBoxTolerance { get; set; } = 0.25;

    /// <summary>
    /// Corners of plates cut by the frame edge may lie outside the image by this fraction of its width/height (0.1);
    /// objects with a corner farther out are skipped ("corner beyond border margin"); negative disables the check.
    /// </summary>
    [ConfigurationKeyName("border_margin")]
    [Range(-1.0, 10.0)]
    public double BorderMargin { get; set; } = ObjectRules.DefaultBorderMargin;

    /// <summary>Network input [w, h] (NanoDet key; used by the pipeline and by <c>data check</c>).</summary>
    [ConfigurationKeyName(DatasetKeys.InputSize)]
    public List<int>? InputSize { get; set; }

    /// <summary>Resize keeping the aspect ratio (NanoDet key; used by the pipeline).</summary>
    [ConfigurationKeyName(DatasetKeys.KeepRatio)]
    public bool KeepRatio { get; set; }

    public ObjectRules Rules => new(ParseClip(BboxClip), RequirePoints, PointsBoxTolerance, BorderMargin);

    public IReadOnlyList<string> ClassNamesOrDefault => ClassNames is { Count: > 0 } c ? c : ArmorClassScheme.SeedNames;

    public static BoxClipMode ParseClip(string text) => text.Trim().ToLowerInvariant() switch
    {
        "reference" => BoxClipMode.Reference,
        "none" => BoxClipMode.None,
        _ => BoxClipMode.Image,
    };

    public virtual IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (ClassNames is { } names)
        {
            var dup = names.GroupBy(n => n, StringComparer.Ordinal).FirstOrDefault(g => g.Count() > 1);
            if (dup is not null)
                yield return new ValidationResult($"class name '{dup.Key}' appears more than once", [nameof(ClassNames)]);
            if (names.Any(string.IsNullOrWhiteSpace))
                yield return new ValidationResult("class names must not be empty", [nameof(ClassNames)]);
        }
        if (InputSize is { } s && (s.Count != 2 || s[0] <= 0 || s[1] <= 0))
            yield return new ValidationResult("must be [width, height] with positive values", [nameof(InputSize)]);
    }

    /// <summary>A required path option, resolved against the working directory; errors name the key.</summary>
    public static string RequirePath(string? value, IConfigurationSection section, string key)
    {
        if (string.IsNullOrWhiteSpace(value))
            throw new ConfigurationException($"{section.Path}:{key}: missing");
        return Path.GetFullPath(value);
    }
}
