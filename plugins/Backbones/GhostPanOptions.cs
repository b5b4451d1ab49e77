using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Configuration;
using NanoDet.Compute.Layers;

namespace NanoDet.Backbones;

/// <summary>Options of the <c>GhostPAN</c> neck (section <c>model:arch:fpn</c>), NanoDet's keys and defaults.</summary>
public sealed class GhostPanOptions : IValidatableObject
{
    /// <summary>Channels of each backbone output, in stride order (1.0x: [116, 232, 464]). Required.</summary>
    [ConfigurationKeyName("in_channels")]
    [Required]
    public int[]? InChannels { get; set; }

    /// <summary>Channels of every output level (96 in NanoDet-Plus-m). Required; must be even (Ghost modules halve it).</summary>
    [ConfigurationKeyName("out_channels")]
    [Range(2, 4096)]
    public int OutChannels { get; set; }

    [ConfigurationKeyName("use_depthwise")]
    public bool UseDepthwise { get; set; }

    [ConfigurationKeyName("kernel_size")]
    [Range(1, 15)]
    public int KernelSize { get; set; } = 5;

    [ConfigurationKeyName("expand")]
    [Range(0.0625, 16)]
    public double Expand { get; set; } = 1;

    [ConfigurationKeyName("num_blocks")]
    [Range(1, 16)]
    public int NumBlocks { get; set; } = 1;

    [ConfigurationKeyName("use_res")]
    public bool UseRes { get; set; }

    /// <summary>0 or 1: NanoDet computes a second extra level from mismatched strides, so it cannot run.</summary>
    [ConfigurationKeyName("num_extra_level")]
    [Range(0, 1)]
    public int NumExtraLevel { get; set; }

    [ConfigurationKeyName("upsample_cfg")]
    public UpsampleOptions UpsampleCfg { get; set; } = new();

    [ConfigurationKeyName("norm_cfg")]
    public NormOptions NormCfg { get; set; } = new();

    [ConfigurationKeyName("activation")]
    public string? Activation { get; set; } = "LeakyReLU";

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (InChannels is null || InChannels.Length == 0 || InChannels.Any(c => c < 1))
            yield return new ValidationResult("must list the positive channel count of each backbone output", [nameof(InChannels)]);
        if (OutChannels % 2 != 0)
            yield return new ValidationResult("must be even (Ghost modules produce 2·ceil(out/2) channels)", [nameof(OutChannels)]);
        if (KernelSize % 2 == 0)
            yield return new ValidationResult("must be odd (same-size padding)", [nameof(KernelSize)]);
        if ((int)(OutChannels * Expand) < 1)
            yield return new ValidationResult("out_channels·expand must be at least 1", [nameof(Expand)]);
        if (Activation is not null && !Compute.Layers.Activation.IsKnown(Activation))
            yield return new ValidationResult(
                $"unknown activation; available: {string.Join(", ", Compute.Layers.Activation.Names)}", [nameof(Activation)]);
    }
}
