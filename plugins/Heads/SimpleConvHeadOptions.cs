using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Configuration;
using NanoDet.Compute.Layers;

namespace NanoDet.Heads;

/// <summary>
/// Options of <c>SimpleConvHead</c>, the training-only auxiliary head (section <c>model:arch:aux_head</c>), NanoDet's keys
/// and defaults plus <c>num_points</c> (must equal the main head's).
/// </summary>
public sealed class SimpleConvHeadOptions : IValidatableObject
{
    [ConfigurationKeyName("num_classes")]
    [Range(1, 100000)]
    public int NumClasses { get; set; }

    /// <summary>Twice the neck width in NanoDet-Plus (the aux head sees [main, aux] features).</summary>
    [ConfigurationKeyName("input_channel")]
    [Range(1, 8192)]
    public int InputChannel { get; set; }

    [ConfigurationKeyName("feat_channels")]
    [Range(1, 8192)]
    public int FeatChannels { get; set; } = 256;

    [ConfigurationKeyName("stacked_convs")]
    [Range(1, 16)]
    public int StackedConvs { get; set; } = 4;

    /// <summary>Strides of the input levels (<see cref="HeadStrides"/>).</summary>
    [ConfigurationKeyName("strides")]
    public int[]? Strides { get; set; }

    /// <summary>GroupNorm with 32 groups by default.</summary>
    [ConfigurationKeyName("norm_cfg")]
    public NormOptions NormCfg { get; set; } = new() { Type = "GN", NumGroups = 32 };

    [ConfigurationKeyName("activation")]
    public string? Activation { get; set; } = "LeakyReLU";

    /// <summary>NanoDet's SimpleConvHead default is 16; NanoDet-Plus configs set 7.</summary>
    [ConfigurationKeyName("reg_max")]
    [Range(1, 64)]
    public int RegMax { get; set; } = 16;

    [ConfigurationKeyName("num_points")]
    [AllowedValues(0, 4)]
    public int NumPoints { get; set; } = 4;

    public IReadOnlyList<int> ResolvedStrides => HeadStrides.Resolve(Strides);

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (HeadStrides.Check(Strides, nameof(Strides)) is { } strides) yield return strides;
        if (Activation is not null && !Compute.Layers.Activation.IsKnown(Activation))
            yield return new ValidationResult(
                $"unknown activation; available: {string.Join(", ", Compute.Layers.Activation.Names)}", [nameof(Activation)]);
    }
}
