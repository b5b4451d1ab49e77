using System.Globalization;
using Microsoft.Extensions.Configuration;
using NanoDet.Abstractions.Plugins;
using NanoDet.Checkpoints;
using NanoDet.Inference.Errors;

namespace NanoDet.Host.Inference;

/// <summary>
/// What inference and export need to know besides the weights: class names (the checkpoint's metadata, else the
/// configuration's <c>class_names</c>, else <c>data:val:class_names</c>) and the network input size (NanoDet's
/// <c>data:val:input_size: [w, h]</c>, else <c>data:train:input_size</c>, unless given explicitly or recorded in the
/// checkpoint's <c>input_size</c> metadata by <c>export --format safetensors --input-size</c>).
/// </summary>
internal static class ModelInfo
{
    /// <summary>Class names for a model with <paramref name="numClasses"/> classes; numbered names when none are known.</summary>
    public static IReadOnlyList<string> ClassNames(IConfiguration config, string? checkpoint, int numClasses)
    {
        IReadOnlyList<string>? names = null;
        if (checkpoint is not null && CheckpointFormat.ReadMetadata(checkpoint) is { } meta)
            names = CheckpointFormat.ClassNames(meta, checkpoint);
        names ??= Section(config, "class_names") ?? Section(config, "data:val:class_names") ?? Section(config, "data:train:class_names");
        if (names is null || names.Count != numClasses)
            return Enumerable.Range(0, numClasses).Select(i => i.ToString(CultureInfo.InvariantCulture)).ToArray();
        return names;
    }

    /// <summary>
    /// The network input size (width, height): <paramref name="explicitSize"/>, else the checkpoint's
    /// <c>input_size</c> metadata, else the configuration's.
    /// </summary>
    public static (int Width, int Height) InputSize(IConfiguration config, string? explicitSize, string? checkpoint = null)
    {
        if (explicitSize is not null) return ParseSize(explicitSize, "--input-size");
        if (checkpoint is not null && CheckpointFormat.ReadMetadata(checkpoint) is { } meta
            && meta.TryGetValue(CheckpointFormat.InputSizeKey, out var recorded))
            return ParseSize(recorded, $"{checkpoint}: metadata input_size");
        foreach (var key in new[] { "data:val:input_size", "data:train:input_size" })
        {
            var values = config.GetSection(key).GetChildren().Select(c => c.Value).ToArray();
            if (values.Length == 0) continue;
            if (values.Length != 2 || !int.TryParse(values[0], CultureInfo.InvariantCulture, out var w) || !int.TryParse(values[1], CultureInfo.InvariantCulture, out var h))
                throw new ConfigurationException($"{key}: expected [width, height], got [{string.Join(", ", values)}]");
            return (w, h);
        }
        throw new ConfigurationException("no input size: the configuration has no data:val:input_size; pass --input-size WxH");
    }

    /// <summary>Parses <c>WxH</c> (or a single number for a square input).</summary>
    public static (int Width, int Height) ParseSize(string text, string option)
    {
        var parts = text.ToLowerInvariant().Split('x', ',');
        if (parts.Length is 1 or 2
            && int.TryParse(parts[0], CultureInfo.InvariantCulture, out var w)
            && int.TryParse(parts[^1], CultureInfo.InvariantCulture, out var h) && w > 0 && h > 0)
            return (w, h);
        throw new ConfigurationException($"{option}: '{text}' is not a size; use WxH, e.g. 320x320 or 416x256");
    }

    private static IReadOnlyList<string>? Section(IConfiguration config, string key)
    {
        var values = config.GetSection(key).GetChildren().Select(c => c.Value ?? "").ToArray();
        return values.Length > 0 ? values : null;
    }
}
