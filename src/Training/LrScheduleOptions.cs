using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Configuration;

namespace NanoDet.Training;

/// <summary>The <c>schedule:lr_schedule</c> section (NanoDet/PyTorch keys).</summary>
public sealed class LrScheduleOptions : IValidatableObject
{
    public const string CosineAnnealing = "CosineAnnealingLR";

    [ConfigurationKeyName("name")]
    public string Name { get; set; } = CosineAnnealing;

    /// <summary>Half period of the cosine, in epochs (300). Set it to total_epochs: the schedule is periodic (docs/reference.md#learning-rate-schedule).</summary>
    [ConfigurationKeyName("T_max")]
    [Range(1, int.MaxValue)]
    public int TMax { get; set; } = 300;

    /// <summary>Lowest learning rate (5e-5).</summary>
    [ConfigurationKeyName("eta_min")]
    [Range(0.0, 10.0)]
    public double EtaMin { get; set; } = 5e-5;

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (Name != CosineAnnealing)
            yield return new ValidationResult($"unsupported lr schedule; available: {CosineAnnealing}", [nameof(Name)]);
    }
}
