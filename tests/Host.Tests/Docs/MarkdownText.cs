namespace NanoDet.Host.Tests.Docs;

/// <summary>Splits a markdown file's lines into prose and fenced code.</summary>
internal static class MarkdownText
{
    /// <summary>Lines outside ``` / ~~~ fences, with their 1-based line numbers.</summary>
    public static IEnumerable<(string Line, int Number)> LinesOutsideCode(IReadOnlyList<string> lines) =>
        Classify(lines).Where(l => !l.InCode).Select(l => (l.Line, l.Number));

    /// <summary>Lines inside fences (the fence lines themselves excluded), with their 1-based line numbers.</summary>
    public static IEnumerable<(string Line, int Number)> LinesInCode(IReadOnlyList<string> lines) =>
        Classify(lines).Where(l => l.InCode).Select(l => (l.Line, l.Number));

    private static IEnumerable<(string Line, int Number, bool InCode)> Classify(IReadOnlyList<string> lines)
    {
        string? fence = null;
        for (int i = 0; i < lines.Count; i++)
        {
            var trimmed = lines[i].TrimStart();
            if (fence is null && (trimmed.StartsWith("```", StringComparison.Ordinal) || trimmed.StartsWith("~~~", StringComparison.Ordinal)))
            {
                fence = trimmed[..3];
                continue;
            }
            if (fence is not null && trimmed.StartsWith(fence, StringComparison.Ordinal))
            {
                fence = null;
                continue;
            }
            yield return (lines[i], i + 1, fence is not null);
        }
    }
}
