using static TorchSharp.torch;

namespace NanoDet.Checkpoints.PyTorch;

/// <summary>
/// The entries kept by <see cref="NanoDetStateDict.ForInference"/> (same tensor objects as the source, not copies:
/// the source's owner still disposes them) and the names dropped.
/// </summary>
internal sealed record NanoDetStateDictSelection(OrderedDictionary<string, Tensor> Tensors, IReadOnlyList<string> Dropped)
{
    /// <summary>The kept keys include NanoDet's three inference parts (<c>backbone.</c>, <c>fpn.</c>, <c>head.</c>).</summary>
    public bool HasNanoDetParts => NanoDetStateDict.InferenceParts.All(p => Tensors.Keys.Any(k => k.StartsWith(p, StringComparison.Ordinal)));
}
