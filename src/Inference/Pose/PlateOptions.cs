using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Configuration;
using NanoDet.Inference.Errors;
using NanoDet.Inference.Geometry;

namespace NanoDet.Inference.Pose;

/// <summary>
/// The <c>plates</c> section: <c>small: [135, 56]</c> and <c>large: [225, 56]</c> (width, height in mm between the
/// light-bar end points) and <c>large_classes</c> (class names or stickers, default <c>[1, Bb]</c>).
/// </summary>
public sealed class PlateOptions : IValidatableObject
{
    [ConfigurationKeyName("small")]
    public List<double>? Small { get; set; }

    [ConfigurationKeyName("large")]
    public List<double>? Large { get; set; }

    [ConfigurationKeyName("large_classes")]
    public List<string>? LargeClasses { get; set; }

    public PlateGeometry Resolve() => new(
        Small is { Count: 2 } s ? s[0] : PlateGeometry.DefaultSmall[0], Small is { Count: 2 } s2 ? s2[1] : PlateGeometry.DefaultSmall[1],
        Large is { Count: 2 } l ? l[0] : PlateGeometry.DefaultLarge[0], Large is { Count: 2 } l2 ? l2[1] : PlateGeometry.DefaultLarge[1],
        LargeClasses ?? PlateGeometry.DefaultLargeClasses);

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (Small is { } s && (s.Count != 2 || s.Any(v => !(v > 0 && v < 10_000))))
            yield return new ValidationResult("must be [width, height] in mm, both > 0", [nameof(Small)]);
        if (Large is { } l && (l.Count != 2 || l.Any(v => !(v > 0 && v < 10_000))))
            yield return new ValidationResult("must be [width, height] in mm, both > 0", [nameof(Large)]);
    }
}
