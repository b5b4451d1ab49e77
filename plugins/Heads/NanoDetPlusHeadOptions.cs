using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Configuration;
using NanoDet.Abstractions.Model;
using NanoDet.Compute.Layers;
using NanoDet.Inference.Detections;
using NanoDet.Inference.Errors;
using NanoDet.Inference.Geometry;

namespace NanoDet.Heads;

/// <summary>
/// Options of <c>NanoDetPlusHead</c> (section <c>model:arch:head</c>), NanoDet's keys and defaults plus
/// <c>num_points</c> (4 = four-point head, the default; 0 = plain NanoDet-Plus), the training loss
/// (<c>loss</c>) and the label assigner (<c>assigner_cfg</c>, resolved by name).
/// </summary>
public sealed class NanoDetPlusHeadOptions : IValidatableObject, IHeadContract
{
    [ConfigurationKeyName("num_classes")]
    [Range(1, 100000)]
    public int NumClasses { get; set; }

    [ConfigurationKeyName("input_channel")]
    [Range(1, 8192)]
    public int InputChannel { get; set; }

    [ConfigurationKeyName("feat_channels")]
    [Range(1, 8192)]
    public int FeatChannels { get; set; } = 96;

    [ConfigurationKeyName("stacked_convs")]
    [Range(1, 16)]
    public int StackedConvs { get; set; } = 2;

    [ConfigurationKeyName("kernel_size")]
    [Range(1, 15)]
    public int KernelSize { get; set; } = 5;

    /// <summary>Strides of the input levels (<see cref="HeadStrides"/>).</summary>
    [ConfigurationKeyName("strides")]
    public int[]? Strides { get; set; }

    [ConfigurationKeyName("conv_type")]
    [AllowedValues("DWConv", "Conv")]
    public string ConvType { get; set; } = "DWConv";

    [ConfigurationKeyName("norm_cfg")]
    public NormOptions NormCfg { get; set; } = new();

    [ConfigurationKeyName("reg_max")]
    [Range(1, 64)]
    public int RegMax { get; set; } = 7;

    [ConfigurationKeyName("activation")]
    public string? Activation { get; set; } = "LeakyReLU";

    /// <summary>Corner points per object: 4 (TL, BL, BR, TR) or 0 for plain NanoDet-Plus.</summary>
    [ConfigurationKeyName("num_points")]
    [AllowedValues(0, 4)]
    public int NumPoints { get; set; } = 4;

    /// <summary>
    /// How corners are encoded relative to their prior: <c>quadrant</c> (the seed's, default: weight-compatible
    /// with its checkpoints and PyTorch NanoDet) or <c>signed</c> (nothing clamped on the wrong side; see
    /// docs/network.md, "Corner encodings"). The channel count is the same; the weights are not interchangeable.
    /// </summary>
    [ConfigurationKeyName("corner_encoding")]
    public NanoDet.Inference.Geometry.CornerEncoding CornerEncoding { get; set; } = NanoDet.Inference.Geometry.CornerEncoding.Quadrant;

    /// <summary>Loss terms and weights (QFL, DFL, GIoU, the corner loss).</summary>
    [ConfigurationKeyName("loss")]
    public Losses.NanoDetPlusLossOptions Loss { get; set; } = new();

    /// <summary>The label assigner (<c>name</c> defaults to DynamicSoftLabelAssigner) and its constants.</summary>
    [ConfigurationKeyName("assigner_cfg")]
    public Assigners.AssignerOptions AssignerCfg { get; set; } = new();

    public IReadOnlyList<int> ResolvedStrides => HeadStrides.Resolve(Strides);

    public HeadLayout Layout => new(NumClasses, RegMax, NumPoints, [.. ResolvedStrides]) { CornerEncoding = CornerEncoding };

    public double CandidateCenterRadius => AssignerCfg.CenterRadius;

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (HeadStrides.Check(Strides, nameof(Strides)) is { } strides) yield return strides;
        if (KernelSize % 2 == 0)
            yield return new ValidationResult("must be odd (same-size padding)", [nameof(KernelSize)]);
        if (Activation is not null && !Compute.Layers.Activation.IsKnown(Activation))
            yield return new ValidationResult(
                $"unknown activation; available: {string.Join(", ", Compute.Layers.Activation.Names)}", [nameof(Activation)]);
    }
}
