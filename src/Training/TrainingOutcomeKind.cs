namespace NanoDet.Training;

public enum TrainingOutcomeKind
{
    Completed,
    Interrupted,
    Aborted,
}
