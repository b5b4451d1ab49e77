using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Configuration;

namespace NanoDet.Heads.Losses;

/// <summary>
/// The head's <c>loss:loss_pts</c> section: how the 8 corner distances are supervised.
/// <c>DistributionFocalLoss</c> (default, the four-point repos' choice): the corners are 8 more DFL sides inside
/// <c>loss_dfl</c>, with <c>loss_dfl:loss_weight</c>. <c>L1Loss</c> or <c>WingLoss</c>: a separate <c>loss_pts</c>
/// term on the integral of the corner distributions vs the same clamped targets, in stride units, weighted per
/// positive by w_i and divided by the DFL normaliser — so swapping the name swaps only the elementwise function.
/// </summary>
public sealed class PointsLossOptions : IValidatableObject
{
    public const string Dfl = DistributionFocalLossOptions.SupportedName;

    /// <summary>Names accepted for <c>loss_pts:name</c>.</summary>
    public static readonly IReadOnlyList<string> Names = [Dfl, L1Loss.ConfigName, WingLoss.ConfigName];

    [ConfigurationKeyName("name")]
    public string Name { get; set; } = Dfl;

    /// <summary>Weight of <c>loss_pts</c> for L1Loss / WingLoss (0.25, the DFL weight); unused with DistributionFocalLoss.</summary>
    [ConfigurationKeyName("loss_weight")]
    [Range(0.0, 1e6)]
    public double LossWeight { get; set; } = 0.25;

    /// <summary>WingLoss ω in strides (1.0): errors below it are in the logarithmic region.</summary>
    [ConfigurationKeyName("omega")]
    [Range(1e-6, 1e3)]
    public double Omega { get; set; } = 1.0;

    /// <summary>WingLoss ε in strides (0.2): curvature of the logarithmic region.</summary>
    [ConfigurationKeyName("epsilon")]
    [Range(1e-6, 1e3)]
    public double Epsilon { get; set; } = 0.2;

    /// <summary>True when the corners are supervised by DFL inside <c>loss_dfl</c>.</summary>
    public bool IsDistributionFocal => Name == Dfl;

    /// <summary>The elementwise corner loss for L1Loss / WingLoss; null for DistributionFocalLoss.</summary>
    public IDistanceLoss? CreateDistanceLoss() => Name switch
    {
        Dfl => null,
        L1Loss.ConfigName => new L1Loss(LossWeight),
        WingLoss.ConfigName => new WingLoss(LossWeight, Omega, Epsilon),
        _ => throw new InvalidOperationException($"unknown corner loss '{Name}'"),
    };

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (!Names.Contains(Name))
            yield return new ValidationResult($"unknown corner loss; available: {string.Join(", ", Names)}", [nameof(Name)]);
    }
}
