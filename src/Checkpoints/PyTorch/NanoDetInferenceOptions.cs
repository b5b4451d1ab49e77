namespace NanoDet.Checkpoints.PyTorch;

/// <summary>What <see cref="NanoDetStateDict.ForInference"/> removes from a NanoDet-Plus state dict.</summary>
internal sealed record NanoDetInferenceOptions
{
    public static readonly NanoDetInferenceOptions Default = new();

    /// <summary>Drop the training-only assign-guidance branch (<c>aux_fpn.*</c>, <c>aux_head.*</c>; docs/reference.md#training-forward-and-the-aux-branch). Default true.</summary>
    public bool DropAuxiliary { get; init; } = true;

    /// <summary>Drop <c>head.distribution_project.project</c> (a constant 0..R buffer the network can rebuild). Default false.</summary>
    public bool DropDistributionProject { get; init; }

    /// <summary>Drop BatchNorm <c>num_batches_tracked</c> counters (unused at inference). Default false.</summary>
    public bool DropNumBatchesTracked { get; init; }
}
