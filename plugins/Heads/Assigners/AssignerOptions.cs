using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Configuration;

namespace NanoDet.Heads.Assigners;

/// <summary>
/// The head's <c>assigner_cfg</c> section: the assigner plugin's <c>name</c> and the Dynamic Soft Label
/// Assigner's constants (docs/reference.md#label-assignment). NanoDet's keys, plus the four-point corner cost of the seed tutorial.
/// </summary>
public sealed class AssignerOptions : IValidatableObject
{
    /// <summary>The assigner used when <c>assigner_cfg:name</c> is absent.</summary>
    public const string DefaultName = "DynamicSoftLabelAssigner";

    /// <summary>Assigner plugin name (kind <c>assigner</c>).</summary>
    [ConfigurationKeyName("name")]
    public string Name { get; set; } = DefaultName;

    /// <summary>Candidates whose IoUs are summed into each ground truth's dynamic k (13).</summary>
    [ConfigurationKeyName("topk")]
    [Range(1, 10_000)]
    public int TopK { get; set; } = 13;

    /// <summary>Weight of the IoU cost −ln(IoU + 1e-7) in the matching cost (3.0).</summary>
    [ConfigurationKeyName("iou_factor")]
    [Range(0.0, 1e6)]
    public double IouFactor { get; set; } = 3.0;

    /// <summary>
    /// IoF threshold above which priors over crowd regions would be ignored; only −1 (off) is accepted: the
    /// reference's ignore path is broken (docs/reference.md#label-assignment) and crowd regions never reach the targets here.
    /// </summary>
    [ConfigurationKeyName("ignore_iof_thr")]
    public double IgnoreIofThr { get; set; } = -1;

    /// <summary>Adds the corner cost α^(mean |Q̂ − Q| − β) for four-point heads (seed/KP behaviour). Off: box-only matching as official NanoDet.</summary>
    [ConfigurationKeyName("points_cost")]
    public bool PointsCost { get; set; } = true;

    /// <summary>α of the corner cost (1.03).</summary>
    [ConfigurationKeyName("points_cost_alpha")]
    [Range(1.000001, 100.0)]
    public double PointsCostAlpha { get; set; } = 1.03;

    /// <summary>β of the corner cost, in input pixels (100): the mean corner error at which the cost reaches 1.</summary>
    [ConfigurationKeyName("points_cost_beta")]
    [Range(0.0, 1e6)]
    public double PointsCostBeta { get; set; } = 100;

    /// <summary>
    /// The tiny-plate rule, in strides of each prior (0 = off, the reference's rule): a prior is also a candidate for
    /// a ground truth when its centre is within <c>center_radius</c>·stride of the box centre on both axes, so a plate
    /// smaller than the finest stride still gets candidates (as centre sampling does). Priors inside the box stay
    /// candidates either way.
    /// </summary>
    [ConfigurationKeyName("center_radius")]
    [Range(0.0, 16.0)]
    public double CenterRadius { get; set; }

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (string.IsNullOrWhiteSpace(Name))
            yield return new ValidationResult("must name an assigner plugin", [nameof(Name)]);
        if (IgnoreIofThr > 0)
            yield return new ValidationResult(
                "ignore regions are not supported (the reference's ignore path is broken, docs/reference.md#label-assignment); use -1",
                [nameof(IgnoreIofThr)]);
    }
}
