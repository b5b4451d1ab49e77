namespace NanoDet.Checkpoints;

/// <summary>A state_dict entry present in both the model and the file with different shapes.</summary>
public sealed record ShapeMismatch(string Key, long[] ModelShape, long[] FileShape)
{
    public override string ToString() => $"{Key}: model [{string.Join(", ", ModelShape)}], file [{string.Join(", ", FileShape)}]";
}
