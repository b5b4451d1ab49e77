using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Configuration;

namespace NanoDet.Training;

/// <summary>The <c>model:weight_averager</c> section (NanoDet keys).</summary>
public sealed class WeightAveragerOptions : IValidatableObject
{
    public const string ExpMovingAverager = nameof(Training.ExpMovingAverager);

    [ConfigurationKeyName("name")]
    public string Name { get; set; } = ExpMovingAverager;

    /// <summary>D in a_i = D·exp(−(1 + i)/2000) + (1 − D), the weight of the new parameters (0.9998; docs/reference.md#ema-weights).</summary>
    [ConfigurationKeyName("decay")]
    [Range(0.0, 1.0)]
    public double Decay { get; set; } = 0.9998;

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (Name != ExpMovingAverager)
            yield return new ValidationResult($"unsupported weight averager; available: {ExpMovingAverager}", [nameof(Name)]);
    }
}
