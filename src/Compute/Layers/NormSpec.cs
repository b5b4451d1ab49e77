using NanoDet.Abstractions.Plugins;
using NanoDet.Inference.Errors;
using TorchSharp;
using static TorchSharp.torch;

namespace NanoDet.Compute.Layers;

/// <summary>
/// A normalisation layer choice, NanoDet's <c>norm_cfg</c>: <c>BN</c> (BatchNorm2d, eps 1e-5, momentum 0.1,
/// child name <c>bn</c>) or <c>GN</c> (GroupNorm with <see cref="NumGroups"/> groups, eps 1e-5, child name <c>gn</c>).
/// <c>SyncBN</c> is accepted as BN: on one device the two are the same layer.
/// </summary>
public sealed record NormSpec(string Type, int NumGroups = 32)
{
    /// <summary>BatchNorm2d.</summary>
    public static NormSpec BatchNorm { get; } = new("BN");

    /// <summary>GroupNorm with 32 groups (SimpleConvHead's default).</summary>
    public static NormSpec GroupNorm32 { get; } = new("GN", 32);

    /// <summary>Accepted <c>type</c> values.</summary>
    public static IReadOnlyList<string> Types { get; } = ["BN", "SyncBN", "GN"];

    /// <summary>True for GroupNorm.</summary>
    public bool IsGroupNorm => Type == "GN";

    /// <summary>Child name in a ConvModule: <c>bn</c> or <c>gn</c> (NanoDet's abbreviations, hence the state_dict keys).</summary>
    public string ChildName => IsGroupNorm ? "gn" : "bn";

    /// <summary>Checks the type and, for GN, that <paramref name="channels"/> divide into the groups.</summary>
    public void Validate(int channels, string key)
    {
        if (!Types.Contains(Type, StringComparer.Ordinal))
            throw new ConfigurationException($"{key}:type: unknown norm '{Type}'; available: {string.Join(", ", Types)}");
        if (IsGroupNorm && (NumGroups < 1 || channels % NumGroups != 0))
            throw new ConfigurationException(
                $"{key}:num_groups: {NumGroups} groups do not divide {channels} channels");
    }

    /// <summary>A new norm layer over <paramref name="channels"/> channels: [B, C, H, W] → same shape, weight 1, bias 0.</summary>
    public nn.Module<Tensor, Tensor> Create(int channels)
    {
        Validate(channels, "norm_cfg");
        nn.Module<Tensor, Tensor> layer = IsGroupNorm
            ? nn.GroupNorm(NumGroups, channels, eps: 1e-5)
            : nn.BatchNorm2d(channels, eps: 1e-5, momentum: 0.1);
        WeightInit.ConstantNorm(layer);
        return layer;
    }
}
