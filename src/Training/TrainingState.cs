using System.Text.Json.Serialization;

namespace NanoDet.Training;

/// <summary>
/// Where training stands: everything besides tensors that a resume needs to continue bit for bit. Serialised
/// as JSON inside the resume file's metadata.
/// </summary>
public sealed class TrainingState
{
    /// <summary>0-based epoch in progress (or next to start when <see cref="BatchInEpoch"/> is 0).</summary>
    public int Epoch { get; set; }

    /// <summary>Next batch index within <see cref="Epoch"/>.</summary>
    public int BatchInEpoch { get; set; }

    /// <summary>Optimizer steps taken so far (warmup and EMA are driven by it).</summary>
    public long GlobalStep { get; set; }

    /// <summary>Best value of the save key so far (NanoDet starts at −10, docs/reference.md#epoch-loop-and-checkpoints).</summary>
    public double BestMetric { get; set; } = -10;

    public int BestEpoch { get; set; } = -1;

    /// <summary>Consecutive skipped steps with a non-finite loss or gradient.</summary>
    public int NonFiniteRun { get; set; }

    public long NonFiniteTotal { get; set; }

    /// <summary>Per-epoch means and validation results, for curves and the summary.</summary>
    public List<EpochRecord> History { get; set; } = [];

    /// <summary>Loss sums of the epoch in progress (see <see cref="LossMeter.Snapshot"/>).</summary>
    public Dictionary<string, double[]>? PartialEpochLosses { get; set; }

    /// <summary>Non-finite steps skipped in the epoch in progress.</summary>
    public int PartialEpochSkipped { get; set; }

    /// <summary>Training images of the epoch in progress that could not be decoded (left out of their batches).</summary>
    public int PartialEpochUndecodable { get; set; }

    /// <summary>The first of those files (for the report and the abort message).</summary>
    public List<string>? PartialEpochUndecodableFiles { get; set; }

    /// <summary>Seconds spent in the epoch in progress before an interruption.</summary>
    public double PartialEpochSeconds { get; set; }

    /// <summary>
    /// Convolution kernel per call shape (ConvCall key → kernel name) used by this run; a resumed run pins them so its
    /// arithmetic, and so its result, is the same as an uninterrupted run's.
    /// </summary>
    public Dictionary<string, string>? ConvKernels { get; set; }

    [JsonIgnore]
    public bool EpochInProgress => BatchInEpoch > 0;
}
