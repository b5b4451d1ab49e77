namespace NanoDet.Host.Training;

public enum TrainingOutcomeKind
{
    Completed,
    Interrupted,
    Aborted,
}
