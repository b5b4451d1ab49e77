namespace NanoDet.Training;

/// <summary>How a training run ended.</summary>
public sealed record TrainingOutcome(TrainingOutcomeKind Kind, string Message, string? ResumePath = null)
{
    public static TrainingOutcome Completed() => new(TrainingOutcomeKind.Completed, "training finished");

    public static TrainingOutcome Interrupted(string resumePath, int epoch, int batch) =>
        new(TrainingOutcomeKind.Interrupted, $"stopped at epoch {epoch + 1}, batch {batch}; state saved to {resumePath}", resumePath);

    public static TrainingOutcome Aborted(string message) => new(TrainingOutcomeKind.Aborted, message);
}
