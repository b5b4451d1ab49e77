using NanoDet.Checkpoints;

namespace NanoDet.Host.Configuration;

/// <summary>
/// The configuration a checkpoint carries (its <see cref="CheckpointFormat.ConfigKey"/> metadata), read from the
/// file's header without loading its tensors.
/// </summary>
internal static class EmbeddedConfig
{
    /// <summary>The embedded configuration, or null when the file has none (e.g. weights converted from PyTorch).</summary>
    public static ConfigNode? Read(string path) =>
        CheckpointFormat.ReadMetadata(path) is { } meta && meta.TryGetValue(CheckpointFormat.ConfigKey, out var json)
            ? ConfigFileReader.ReadJson(json, $"{path} (embedded config)")
            : null;
}
