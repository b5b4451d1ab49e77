using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Configuration;

namespace NanoDet.Compute.Layers;

/// <summary>NanoDet's <c>norm_cfg</c> section: <c>type</c> (BN, SyncBN, GN) and, for GN, <c>num_groups</c>.</summary>
public sealed class NormOptions
{
    [ConfigurationKeyName("type")]
    [Required]
    [AllowedValues("BN", "SyncBN", "GN")]
    public string Type { get; set; } = "BN";

    [ConfigurationKeyName("num_groups")]
    [Range(1, 4096)]
    public int? NumGroups { get; set; }

    /// <summary>The layer choice; GN without <c>num_groups</c> uses 32 groups.</summary>
    public NormSpec ToSpec() => new(Type, NumGroups ?? 32);
}
