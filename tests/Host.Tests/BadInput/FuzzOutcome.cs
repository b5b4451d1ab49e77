namespace NanoDet.Host.Tests.BadInput;

/// <summary>
/// What reading one input must give: <c>ok</c>; <c>skip: REASON</c> (the reader left the item out and said why);
/// or <c>error N</c> (a one-line user error, exit code N). Anything else — another exception type, a hang, a
/// crash — is a defect.
/// </summary>
public sealed record FuzzOutcome(string Text)
{
    public static readonly FuzzOutcome Ok = new("ok");

    public static FuzzOutcome Skip(string reason) => new($"skip: {reason}");

    public static FuzzOutcome Error(int exitCode) => new($"error {exitCode}");

    public override string ToString() => Text;
}
