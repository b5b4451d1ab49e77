using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Configuration;

namespace NanoDet.Backbones;

/// <summary>GhostPAN's <c>upsample_cfg</c>: NanoDet's default is bilinear ×2 with align_corners false.</summary>
public sealed class UpsampleOptions
{
    [ConfigurationKeyName("mode")]
    [AllowedValues("bilinear", "nearest")]
    public string Mode { get; set; } = "bilinear";

    [ConfigurationKeyName("scale_factor")]
    [AllowedValues(2)]
    public int ScaleFactor { get; set; } = 2;

    /// <summary>Only meaningful for bilinear; PyTorch's default (null) means false.</summary>
    [ConfigurationKeyName("align_corners")]
    public bool? AlignCorners { get; set; }
}
