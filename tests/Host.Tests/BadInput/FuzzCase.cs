namespace NanoDet.Host.Tests.BadInput;

/// <summary>One malformed input of the corpus and the outcome it must have.</summary>
/// <param name="Name">What is wrong with it.</param>
/// <param name="Format">Which reader gets it.</param>
/// <param name="Content">The file's bytes.</param>
/// <param name="Expected">The outcome.</param>
public sealed record FuzzCase(string Name, FuzzFormat Format, byte[] Content, FuzzOutcome Expected)
{
    public override string ToString() => $"{Format}: {Name}";
}
