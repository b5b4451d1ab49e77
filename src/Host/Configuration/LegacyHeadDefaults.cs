namespace NanoDet.Host.Configuration;

/// <summary>
/// Keeps configurations written before <c>model:arch:head:corner_encoding</c> existed meaning what they meant: a
/// checkpoint's embedded configuration or a <c>--config</c> file (NanoDet's YAML included) that describes
/// <c>model:arch:head</c> without choosing an encoding describes the seed's head, so its layer gets
/// <c>corner_encoding: quadrant</c> before merging. Without this the base profile's choice would leak into a
/// PyTorch checkpoint's or an old checkpoint's head and decode its corner bins wrongly.
/// </summary>
internal static class LegacyHeadDefaults
{
    public const string CornerEncodingKey = "corner_encoding";

    /// <summary>The encoding every configuration meant before the option existed.</summary>
    public const string LegacyCornerEncoding = "quadrant";

    /// <summary>Adds <c>corner_encoding: quadrant</c> to <paramref name="layer"/>'s head section when it has one without the key.</summary>
    public static ConfigNode Apply(ConfigNode layer)
    {
        if (layer["model"]?["arch"]?["head"] is { HasChildren: true } head && head[CornerEncodingKey] is null)
            head.Set(CornerEncodingKey, ConfigNode.Scalar(LegacyCornerEncoding));
        return layer;
    }
}
