using NanoDet.Abstractions.Plugins;
using NanoDet.Host.Weights.PyTorch;
using static TorchSharp.torch;

namespace NanoDet.Host.Weights;

/// <summary>
/// Reads weights from any supported file, decided by content: safetensors (this tool's checkpoints, or files
/// converted from PyTorch) or a PyTorch zip checkpoint (.pth state dict, Lightning .ckpt; EMA weights preferred).
/// Keys come out as NanoDet's state_dict names with checkpoint prefixes resolved.
/// </summary>
public static class WeightsReader
{
    /// <summary>(key, CPU tensor) pairs in file order; the caller owns the tensors.</summary>
    /// <param name="path">The weights file.</param>
    /// <param name="description">One line saying what was read (format, which weights).</param>
    public static List<(string Key, Tensor Value)> Read(string path, out string description)
    {
        if (!File.Exists(path)) throw new InputDataException($"{path}: weights file not found");
        if (CheckpointFileSniffer.IsSafetensors(path))
        {
            var (entries, metadata) = WeightsFile.Read(path);
            description = $"safetensors, {entries.Count} tensors" +
                (metadata.TryGetValue("weights", out var w) ? $", {w} weights" : "") +
                (metadata.TryGetValue("epoch", out var e) ? $", epoch {e}" : "");
            return entries;
        }
        using var checkpoint = CheckpointReader.Read(path);
        description = checkpoint.Metadata.Describe();
        return checkpoint.DetachStateDict().Select(kv => (kv.Key, kv.Value)).ToList();
    }
}
