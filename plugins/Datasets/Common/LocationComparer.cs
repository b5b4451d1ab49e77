using System.Globalization;

namespace NanoDet.Datasets.Common;

/// <summary>Orders <c>file:line</c> locations by file, then numerically by line (so <c>a.txt:10</c> follows <c>a.txt:9</c>).</summary>
public sealed class LocationComparer : IComparer<string>
{
    public static readonly LocationComparer Instance = new();

    public int Compare(string? x, string? y)
    {
        if (x is null || y is null) return string.CompareOrdinal(x, y);
        var (fx, lx) = Split(x);
        var (fy, ly) = Split(y);
        int c = string.CompareOrdinal(fx, fy);
        return c != 0 ? c : lx.CompareTo(ly);
    }

    private static (string File, long Line) Split(string s)
    {
        int i = s.LastIndexOf(':');
        if (i > 0 && long.TryParse(s.AsSpan(i + 1), NumberStyles.None, CultureInfo.InvariantCulture, out var line))
            return (s[..i], line);
        return (s, -1);
    }
}
