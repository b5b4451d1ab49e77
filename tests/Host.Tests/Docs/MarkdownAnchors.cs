using System.Text;
using System.Text.RegularExpressions;

namespace NanoDet.Host.Tests.Docs;

/// <summary>
/// The anchors GitHub generates for a markdown file's headings: the heading's visible text, lower-cased, with every
/// character other than letters, digits, spaces, '-' and '_' removed and spaces turned into '-'; a repeated anchor
/// gets "-1", "-2", ... Headings inside fenced code blocks do not count.
/// </summary>
internal static partial class MarkdownAnchors
{
    public static HashSet<string> Of(string markdownPath)
    {
        var anchors = new HashSet<string>(StringComparer.Ordinal);
        var seen = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var (line, _) in MarkdownText.LinesOutsideCode(File.ReadAllLines(markdownPath)))
        {
            var m = Heading().Match(line);
            if (!m.Success) continue;
            var slug = Slug(m.Groups[1].Value);
            if (seen.TryGetValue(slug, out int n))
            {
                seen[slug] = n + 1;
                anchors.Add($"{slug}-{n}");
            }
            else
            {
                seen[slug] = 1;
                anchors.Add(slug);
            }
        }
        return anchors;
    }

    /// <summary>GitHub's slug of one heading's text.</summary>
    public static string Slug(string heading)
    {
        var text = Link().Replace(heading.Trim().TrimEnd('#').Trim(), "$1");
        text = text.Replace("`", "", StringComparison.Ordinal).Replace("*", "", StringComparison.Ordinal);
        var sb = new StringBuilder(text.Length);
        foreach (char c in text.ToLowerInvariant())
        {
            if (char.IsLetterOrDigit(c) || c is '-' or '_') sb.Append(c);
            else if (c == ' ') sb.Append('-');
        }
        return sb.ToString();
    }

    [GeneratedRegex(@"^#{1,6}\s+(.+)$")]
    private static partial Regex Heading();

    [GeneratedRegex(@"!?\[([^\]]*)\]\([^)]*\)")]
    private static partial Regex Link();
}
