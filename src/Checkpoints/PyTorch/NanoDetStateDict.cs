using static TorchSharp.torch;

namespace NanoDet.Checkpoints.PyTorch;

/// <summary>
/// Turns a NanoDet-Plus state dict (as read by <see cref="CheckpointReader"/>) into the inference model's state dict:
/// the network runs backbone → fpn → head only (docs/reference.md#training-forward-and-the-aux-branch), so the assign-guidance branch can be left out.
/// </summary>
internal static class NanoDetStateDict
{
    /// <summary>Prefixes of the training-only branch.</summary>
    public static readonly IReadOnlyList<string> AuxiliaryPrefixes = ["aux_fpn.", "aux_head."];

    /// <summary>Prefixes of the parts inference runs.</summary>
    public static readonly IReadOnlyList<string> InferenceParts = ["backbone.", "fpn.", "head."];

    public const string DistributionProjectKey = "head.distribution_project.project";

    private const string NumBatchesTrackedSuffix = ".num_batches_tracked";

    /// <summary>Keeps the entries inference needs, in their original order; shares the tensors with the source.</summary>
    public static NanoDetStateDictSelection ForInference(
        IEnumerable<KeyValuePair<string, Tensor>> stateDict, NanoDetInferenceOptions? options = null)
    {
        options ??= NanoDetInferenceOptions.Default;
        var kept = new OrderedDictionary<string, Tensor>(StringComparer.Ordinal);
        var dropped = new List<string>();
        foreach (var (name, tensor) in stateDict)
        {
            if (Drop(name, options)) dropped.Add(name);
            else kept.Add(name, tensor);
        }
        return new NanoDetStateDictSelection(kept, dropped);
    }

    private static bool Drop(string name, NanoDetInferenceOptions options) =>
        (options.DropAuxiliary && AuxiliaryPrefixes.Any(p => name.StartsWith(p, StringComparison.Ordinal)))
        || (options.DropDistributionProject && name == DistributionProjectKey)
        || (options.DropNumBatchesTracked && name.EndsWith(NumBatchesTrackedSuffix, StringComparison.Ordinal));
}
