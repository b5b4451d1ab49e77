using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Configuration;

namespace NanoDet.Training;

/// <summary>The <c>schedule:optimizer</c> section (NanoDet keys). Defaults are the NanoDet-Plus config's.</summary>
public sealed class OptimizerOptions : IValidatableObject
{
    public const string AdamW = "AdamW";

    [ConfigurationKeyName("name")]
    public string Name { get; set; } = AdamW;

    /// <summary>Base learning rate (1e-3); warmup and cosine scale it.</summary>
    [ConfigurationKeyName("lr")]
    [Range(1e-12, 10.0)]
    public double Lr { get; set; } = 1e-3;

    /// <summary>Decoupled weight decay on every parameter (0.05; TorchSharp's own default is 0, so it is always passed).</summary>
    [ConfigurationKeyName("weight_decay")]
    [Range(0.0, 10.0)]
    public double WeightDecay { get; set; } = 0.05;

    /// <summary>Adam (β1, β2) when absent.</summary>
    public static readonly IReadOnlyList<double> DefaultBetas = [0.9, 0.999];

    /// <summary>
    /// Adam (β1, β2); null means <see cref="DefaultBetas"/>. Null rather than a filled default because the
    /// configuration binder appends bound list items to a non-empty default array.
    /// </summary>
    [ConfigurationKeyName("betas")]
    public double[]? Betas { get; set; }

    /// <summary>The betas in effect.</summary>
    public IReadOnlyList<double> EffectiveBetas => Betas ?? DefaultBetas;

    [ConfigurationKeyName("eps")]
    [Range(1e-20, 1.0)]
    public double Eps { get; set; } = 1e-8;

    [ConfigurationKeyName("amsgrad")]
    public bool Amsgrad { get; set; }

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (Name != AdamW)
            yield return new ValidationResult($"unsupported optimizer; available: {AdamW}", [nameof(Name)]);
        if (Betas is not null && (Betas.Length != 2 || Betas.Any(b => b is < 0 or >= 1)))
            yield return new ValidationResult("must be two values in [0, 1)", [nameof(Betas)]);
    }
}
