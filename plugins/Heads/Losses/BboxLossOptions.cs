using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Configuration;
using NanoDet.Heads.Geometry;

namespace NanoDet.Heads.Losses;

/// <summary>The head's <c>loss:loss_bbox</c> section (NanoDet keys).</summary>
public sealed class BboxLossOptions : IValidatableObject
{
    public const string SupportedName = "GIoULoss";

    [ConfigurationKeyName("name")]
    public string Name { get; set; } = SupportedName;

    [ConfigurationKeyName("loss_weight")]
    [Range(0.0, 1e6)]
    public double LossWeight { get; set; } = 2.0;

    /// <summary>Floor of union and enclosing area (1e-6).</summary>
    [ConfigurationKeyName("eps")]
    [Range(1e-12, 1.0)]
    public double Eps { get; set; } = BoxOverlaps.DefaultEps;

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (Name != SupportedName)
            yield return new ValidationResult($"unsupported box loss; available: {SupportedName}", [nameof(Name)]);
    }
}
