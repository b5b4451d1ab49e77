using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Configuration;

namespace NanoDet.Heads.Losses;

/// <summary>The head's <c>loss:loss_dfl</c> section (NanoDet keys, plus <c>normalizer</c>).</summary>
public sealed class DistributionFocalLossOptions : IValidatableObject
{
    public const string SupportedName = "DistributionFocalLoss";

    [ConfigurationKeyName("name")]
    public string Name { get; set; } = SupportedName;

    [ConfigurationKeyName("loss_weight")]
    [Range(0.0, 1e6)]
    public double LossWeight { get; set; } = 0.25;

    /// <summary><c>BoxSides</c> (4·W, parity, default) or <c>AllSides</c> ((4 + 2·points)·W).</summary>
    [ConfigurationKeyName("normalizer")]
    public DflNormalizer Normalizer { get; set; } = DflNormalizer.BoxSides;

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (Name != SupportedName)
            yield return new ValidationResult($"unsupported distribution loss; available: {SupportedName}", [nameof(Name)]);
    }
}
