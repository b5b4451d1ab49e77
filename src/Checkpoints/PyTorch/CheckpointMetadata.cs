using System.Globalization;

namespace NanoDet.Checkpoints.PyTorch;

/// <summary>What was found in a PyTorch checkpoint and how its state dict was derived.</summary>
internal sealed record CheckpointMetadata
{
    public required string Path { get; init; }

    public required CheckpointLayout Layout { get; init; }

    public required CheckpointWeights Weights { get; init; }

    /// <summary><c>epoch</c> as stored (Lightning and legacy NanoDet files).</summary>
    public long? Epoch { get; init; }

    /// <summary><c>global_step</c> (Lightning) or <c>iter</c> (legacy NanoDet).</summary>
    public long? GlobalStep { get; init; }

    /// <summary><c>pytorch-lightning_version</c> of a Lightning checkpoint.</summary>
    public string? LightningVersion { get; init; }

    /// <summary>Key prefixes removed from the state dict, in order (<c>module.</c>, <c>model.</c>).</summary>
    public IReadOnlyList<string> StrippedPrefixes { get; init; } = [];

    /// <summary>Number of <c>avg_model.*</c> (EMA) entries used.</summary>
    public int EmaEntries { get; init; }

    /// <summary>Number of <c>model.*</c> entries kept with their raw values.</summary>
    public int RawEntries { get; init; }

    /// <summary>State-dict entries that are not tensors (dropped), by name.</summary>
    public IReadOnlyList<string> SkippedEntries { get; init; } = [];

    /// <summary>Top-level keys of the checkpoint (e.g. <c>optimizer_states</c>, <c>lr_schedulers</c>).</summary>
    public IReadOnlyList<string> TopLevelKeys { get; init; } = [];

    /// <summary>torch's serialization format version (the archive's <c>version</c> record).</summary>
    public string? FormatVersion { get; init; }

    /// <summary>The file was written on a big-endian machine (its bytes were swapped on load).</summary>
    public bool BigEndian { get; init; }

    /// <summary>Number of tensors in the resulting state dict.</summary>
    public int TensorCount { get; init; }

    /// <summary>One line for logs, e.g. "Lightning checkpoint (PL 1.9.5, epoch 7, step 1234): 49 tensors, EMA weights".</summary>
    public string Describe()
    {
        var details = new List<string>();
        if (LightningVersion is not null) details.Add($"PL {LightningVersion}");
        if (Epoch is { } e) details.Add(string.Create(CultureInfo.InvariantCulture, $"epoch {e}"));
        if (GlobalStep is { } s) details.Add(string.Create(CultureInfo.InvariantCulture, $"step {s}"));
        var layout = Layout switch
        {
            CheckpointLayout.StateDict => "state_dict",
            CheckpointLayout.WrappedStateDict => "{\"state_dict\"} checkpoint",
            CheckpointLayout.Lightning => "Lightning checkpoint",
            _ => "legacy NanoDet checkpoint",
        };
        var weights = Weights switch
        {
            CheckpointWeights.Ema => $"EMA weights (avg_model.*, {EmaEntries} entries)",
            CheckpointWeights.Mixed => $"EMA weights for {EmaEntries} entries, raw for {RawEntries}",
            CheckpointWeights.Raw => "raw training weights",
            _ => "weights as stored",
        };
        var head = details.Count > 0 ? $"{layout} ({string.Join(", ", details)})" : layout;
        var stripped = StrippedPrefixes.Count > 0 ? $", prefix {string.Join(" + ", StrippedPrefixes)} stripped" : "";
        return $"{head}: {TensorCount} tensors, {weights}{stripped}";
    }
}
