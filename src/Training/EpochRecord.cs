namespace NanoDet.Training;

/// <summary>One finished epoch: mean loss terms, last learning rate, throughput, and metrics when validated.</summary>
public sealed class EpochRecord
{
    public int Epoch { get; set; }
    public Dictionary<string, double> Losses { get; set; } = [];
    public double LearningRate { get; set; }
    public double ImagesPerSecond { get; set; }
    public double Seconds { get; set; }
    public int SkippedSteps { get; set; }
    /// <summary>Training images left out of this epoch because they could not be decoded.</summary>
    public int UndecodableImages { get; set; }
    /// <summary>Validation metrics (null when the epoch was not validated).</summary>
    public Dictionary<string, double>? Metrics { get; set; }
}
