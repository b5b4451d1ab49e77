using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Configuration;

namespace NanoDet.Training;

/// <summary>The <c>schedule:warmup</c> section (NanoDet keys): lr = base · k(s) for the first <c>steps</c> optimizer steps.</summary>
public sealed class WarmupOptions : IValidatableObject
{
    /// <summary>Names accepted for <c>name</c>.</summary>
    public static readonly IReadOnlyList<string> Names = ["linear", "constant", "exp"];

    /// <summary><c>linear</c>: k = 1 − (1 − s/steps)(1 − ratio); <c>constant</c>: k = ratio; <c>exp</c>: k = ratio^(1 − s/steps).</summary>
    [ConfigurationKeyName("name")]
    public string Name { get; set; } = "linear";

    /// <summary>Warmup covers optimizer steps s = 0..steps (inclusive, as the reference); 0 disables it.</summary>
    [ConfigurationKeyName("steps")]
    [Range(0, int.MaxValue)]
    public int Steps { get; set; } = 500;

    /// <summary>Starting factor k(0) (1e-4).</summary>
    [ConfigurationKeyName("ratio")]
    [Range(1e-12, 1.0)]
    public double Ratio { get; set; } = 1e-4;

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (!Names.Contains(Name))
            yield return new ValidationResult($"unknown warmup; available: {string.Join(", ", Names)}", [nameof(Name)]);
    }
}
