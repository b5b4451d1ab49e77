using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Configuration;
using NanoDet.Compute.Layers;

namespace NanoDet.Backbones;

/// <summary>Options of the <c>ShuffleNetV2</c> backbone (section <c>model:arch:backbone</c>), NanoDet's keys and defaults.</summary>
public sealed class ShuffleNetV2Options : IValidatableObject
{
    /// <summary>Width multiplier: 0.5x, 1.0x, 1.5x or 2.0x (NanoDet's default 1.5x).</summary>
    [ConfigurationKeyName("model_size")]
    [AllowedValues("0.5x", "1.0x", "1.5x", "2.0x")]
    public string ModelSize { get; set; } = "1.5x";

    /// <summary>Stages whose outputs are returned, a subset of 2, 3, 4 (default all three). Null = default.</summary>
    [ConfigurationKeyName("out_stages")]
    public int[]? OutStages { get; set; }

    /// <summary>Append NanoDet's 1×1 <c>conv5</c> to stage 4 (default false, as in every NanoDet-Plus config).</summary>
    [ConfigurationKeyName("with_last_conv")]
    public bool WithLastConv { get; set; }

    /// <summary>Accepted for config compatibility (NanoDet's spelling); NanoDet ignores it too: block kernels are 3×3.</summary>
    [ConfigurationKeyName("kernal_size")]
    public int KernalSize { get; set; } = 3;

    [ConfigurationKeyName("activation")]
    public string Activation { get; set; } = "ReLU";

    /// <summary>Start from torchvision's ImageNet weights (NanoDet's default). They cannot be downloaded here; see the warning.</summary>
    [ConfigurationKeyName("pretrain")]
    public bool Pretrain { get; set; } = true;

    /// <summary>The stages to return, sorted (default 2, 3, 4).</summary>
    public IReadOnlyList<int> ResolvedOutStages => OutStages is { Length: > 0 } s ? s.Distinct().Order().ToArray() : [2, 3, 4];

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (OutStages is not null && (OutStages.Length == 0 || OutStages.Any(s => s is < 2 or > 4)))
            yield return new ValidationResult("must be a non-empty subset of [2, 3, 4]", [nameof(OutStages)]);
        if (!Compute.Layers.Activation.IsKnown(Activation))
            yield return new ValidationResult(
                $"unknown activation; available: {string.Join(", ", Compute.Layers.Activation.Names)}", [nameof(Activation)]);
    }
}
