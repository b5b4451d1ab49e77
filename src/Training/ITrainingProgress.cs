namespace NanoDet.Training;

/// <summary>
/// Where the trainer reports what it does; the host shows it (progress bars, log lines, TensorBoard), tests and
/// other front ends may record it or stay silent.
/// </summary>
public interface ITrainingProgress
{
    /// <summary>Runs the whole training <paramref name="body"/> inside whatever display the implementation keeps open.</summary>
    T Run<T>(int totalEpochs, int startEpoch, Func<T> body);

    /// <summary>An epoch (0-based) starts, or resumes at <paramref name="startBatch"/>.</summary>
    void BeginEpoch(int epoch, int totalEpochs, int batches, int startBatch);

    /// <summary>One optimizer step finished.</summary>
    void Step(int epoch, int batchIndex, int batches, long globalStep, double lr, double imagesPerSecond, LossMeter meter);

    /// <summary>An epoch finished (its record holds losses, times and skips).</summary>
    void EndEpoch(EpochRecord record, int epoch, int totalEpochs);

    /// <summary>Validation after <paramref name="epoch"/> produced <paramref name="metrics"/>; <paramref name="best"/> when it is the best so far by <paramref name="saveKey"/>.</summary>
    void Validation(int epoch, IReadOnlyDictionary<string, double> metrics, string saveKey, bool best);
}
