using System.Globalization;
using NanoDet.Abstractions.Plugins;
using NanoDet.Checkpoints.PyTorch;
using NanoDet.Inference.Errors;
using static TorchSharp.torch;

namespace NanoDet.Checkpoints;

/// <summary>
/// The one reader of model weights for every verb: our safetensors files and PyTorch checkpoints (.pth/.ckpt, read
/// without Python), told apart by content. Keys come out normalised (<see cref="CheckpointKeys"/>).
/// </summary>
public static class WeightsReader
{
    /// <summary>What was read: the entries (CPU tensors, owned by the caller's dispose scope) and where they came from.</summary>
    /// <param name="Entries">State-dict entries in file order.</param>
    /// <param name="Description">One line for the log, e.g. <c>safetensors, 412 tensors, ema weights, epoch 4</c>.</param>
    /// <param name="Weights">Which weights: <c>ema</c>, <c>raw</c>, <c>mixed</c> or <c>as stored</c>.</param>
    /// <param name="Epoch">The epoch the file records, if any.</param>
    public sealed record Result(List<(string Key, Tensor Value)> Entries, string Description, string Weights, string? Epoch);

    /// <summary>Reads <paramref name="path"/>; a missing or broken file is an <see cref="InputDataException"/> naming it.</summary>
    public static Result Read(string path)
    {
        if (!File.Exists(path)) throw new InputDataException($"{path}: weights file not found");
        if (CheckpointFileSniffer.IsSafetensors(path))
        {
            var (entries, metadata) = WeightsFile.Read(path);
            var recorded = metadata.TryGetValue(CheckpointFormat.WeightsKey, out var w) ? w : null;
            var epoch = metadata.TryGetValue(CheckpointFormat.EpochKey, out var e) ? e : null;
            var description = $"safetensors, {entries.Count} tensors" + (recorded is null ? "" : $", {recorded} weights")
                + (epoch is null ? "" : $", epoch {epoch}");
            return new Result(entries, description, recorded ?? "as stored", epoch);
        }
        using var checkpoint = CheckpointReader.Read(path);
        var m = checkpoint.Metadata;
        var kind = m.Weights switch
        {
            CheckpointWeights.Ema => "ema",
            CheckpointWeights.Raw => "raw",
            CheckpointWeights.Mixed => "mixed",
            _ => "as stored",
        };
        return new Result(checkpoint.DetachStateDict().Select(kv => (kv.Key, kv.Value)).ToList(), m.Describe(), kind,
            m.Epoch?.ToString(CultureInfo.InvariantCulture));
    }
}
