using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Configuration;

namespace NanoDet.Heads.Losses;

/// <summary>The head's <c>loss:loss_qfl</c> section (NanoDet keys).</summary>
public sealed class QualityFocalLossOptions : IValidatableObject
{
    public const string SupportedName = "QualityFocalLoss";

    [ConfigurationKeyName("name")]
    public string Name { get; set; } = SupportedName;

    /// <summary>Must be true: the loss works on logits with a sigmoid (the reference supports nothing else).</summary>
    [ConfigurationKeyName("use_sigmoid")]
    public bool UseSigmoid { get; set; } = true;

    /// <summary>Exponent of the modulating factor |T − σ|^β (2.0).</summary>
    [ConfigurationKeyName("beta")]
    [Range(0.0, 10.0)]
    public double Beta { get; set; } = 2.0;

    [ConfigurationKeyName("loss_weight")]
    [Range(0.0, 1e6)]
    public double LossWeight { get; set; } = 1.0;

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (Name != SupportedName)
            yield return new ValidationResult($"unsupported classification loss; available: {SupportedName}", [nameof(Name)]);
        if (!UseSigmoid)
            yield return new ValidationResult("only the sigmoid form of QualityFocalLoss exists; set true", [nameof(UseSigmoid)]);
    }
}
