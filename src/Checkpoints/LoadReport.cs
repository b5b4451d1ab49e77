using System.Globalization;
using System.Text;

namespace NanoDet.Checkpoints;

/// <summary>
/// What a state_dict load did: entries copied, model entries the file lacks (they keep their initial values), file
/// entries the model lacks (dropped) and entries skipped for a shape mismatch (the model keeps its initial values).
/// </summary>
public sealed record LoadReport(
    IReadOnlyList<string> Loaded,
    IReadOnlyList<string> Missing,
    IReadOnlyList<string> Unexpected,
    IReadOnlyList<ShapeMismatch> Mismatched)
{
    /// <summary>True when every model entry was loaded and nothing was skipped or left over.</summary>
    public bool IsExact => Missing.Count == 0 && Unexpected.Count == 0 && Mismatched.Count == 0;

    /// <summary>One line: counts, then up to <paramref name="show"/> keys of each problem kind.</summary>
    public string Summary(int show = 8)
    {
        var sb = new StringBuilder($"{Loaded.Count} loaded");
        Append(sb, "missing", Missing, show);
        Append(sb, "unexpected", Unexpected, show);
        Append(sb, "with another shape", Mismatched.Select(m => m.ToString()).ToList(), show);
        return sb.ToString();
    }

    private static void Append(StringBuilder sb, string what, IReadOnlyList<string> keys, int show)
    {
        if (keys.Count == 0) return;
        sb.Append(CultureInfo.InvariantCulture, $"; {keys.Count} {what}: ").Append(string.Join("; ", keys.Take(show)));
        if (keys.Count > show) sb.Append(CultureInfo.InvariantCulture, $"; … and {keys.Count - show} more");
    }
}
