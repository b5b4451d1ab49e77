using System.Text.RegularExpressions;

namespace NanoDet.Host.Tests.Docs;

/// <summary>
/// Every relative link in README.md and docs/*.md reaches a file of the repository, and every #anchor a heading of
/// the target page (GitHub's anchor rules); so does every docs citation in code, tests and scripts.
/// </summary>
public partial class DocumentationLinkTests
{
    [Fact]
    public void Every_relative_link_in_the_docs_resolves()
    {
        var problems = new List<string>();
        var anchorCache = new Dictionary<string, HashSet<string>>(StringComparer.Ordinal);
        foreach (var page in DocumentationFiles.Markdown())
        {
            foreach (var (line, number) in MarkdownText.LinesOutsideCode(File.ReadAllLines(page)))
            {
                foreach (Match m in MarkdownLink().Matches(CodeSpan().Replace(line, "")))
                {
                    var target = m.Groups[1].Value;
                    if (target.Contains("://", StringComparison.Ordinal) || target.StartsWith("mailto:", StringComparison.Ordinal)) continue;
                    var problem = Check(Path.GetDirectoryName(page)!, page, target, anchorCache);
                    if (problem is not null) problems.Add($"{DocumentationFiles.Relative(page)}:{number}: ({target}) {problem}");
                }
            }
        }
        Assert.True(problems.Count == 0, "broken links:\n" + string.Join('\n', problems));
    }

    [Fact]
    public void Every_docs_citation_in_the_code_resolves()
    {
        var problems = new List<string>();
        var anchorCache = new Dictionary<string, HashSet<string>>(StringComparer.Ordinal);
        int citations = 0;
        foreach (var file in DocumentationFiles.SourceText())
        {
            var lines = File.ReadAllLines(file);
            for (int i = 0; i < lines.Length; i++)
                foreach (Match m in DocsCitation().Matches(lines[i]))
                {
                    citations++;
                    var problem = Check(DocumentationFiles.Root, null, m.Value, anchorCache);
                    if (problem is not null) problems.Add($"{DocumentationFiles.Relative(file)}:{i + 1}: {m.Value} {problem}");
                }
        }
        Assert.True(citations > 50, $"only {citations} docs citations found: the scan itself is broken");
        Assert.True(problems.Count == 0, "broken citations:\n" + string.Join('\n', problems));
    }

    [Theory]
    [InlineData("Where this differs from the reference", "where-this-differs-from-the-reference")]
    [InlineData("Native libraries, CUDA, container", "native-libraries-cuda-container")]
    [InlineData("`data check`", "data-check")]
    [InlineData("Class table (seed scheme)", "class-table-seed-scheme")]
    [InlineData("Synthetic armor (`SyntheticArmor`, `nanodet synth`)", "synthetic-armor-syntheticarmor-nanodet-synth")]
    [InlineData("Parity with [pycocotools](https://github.com/cocodataset/cocoapi)", "parity-with-pycocotools")]
    [InlineData("Layout, tests, CI", "layout-tests-ci")]
    public void Anchors_follow_GitHubs_rules(string heading, string anchor) =>
        Assert.Equal(anchor, MarkdownAnchors.Slug(heading));

    /// <summary>Null when <paramref name="target"/> (path#anchor, relative to <paramref name="baseDir"/>) resolves.</summary>
    private static string? Check(string baseDir, string? currentPage, string target, Dictionary<string, HashSet<string>> anchorCache)
    {
        int hash = target.IndexOf('#', StringComparison.Ordinal);
        var pathPart = hash < 0 ? target : target[..hash];
        var anchor = hash < 0 ? null : target[(hash + 1)..];
        string full;
        if (pathPart.Length == 0)
        {
            if (currentPage is null) return "has no file";
            full = currentPage;
        }
        else
        {
            full = Path.GetFullPath(Path.Combine(baseDir, Uri.UnescapeDataString(pathPart)));
            if (!File.Exists(full) && !Directory.Exists(full)) return "names a file that does not exist";
            if (!full.StartsWith(DocumentationFiles.Root, StringComparison.Ordinal)) return "points outside the repository";
        }
        if (anchor is null) return null;
        if (!full.EndsWith(".md", StringComparison.Ordinal)) return "has an anchor on a file that is not markdown";
        if (!anchorCache.TryGetValue(full, out var anchors)) anchorCache[full] = anchors = MarkdownAnchors.Of(full);
        return anchors.Contains(anchor) ? null : $"names no heading of {Path.GetFileName(full)}";
    }

    [GeneratedRegex(@"!?\[[^\]]*\]\(([^)\s]+)(?:\s+""[^""]*"")?\)")]
    private static partial Regex MarkdownLink();

    [GeneratedRegex(@"`[^`]*`")]
    private static partial Regex CodeSpan();

    [GeneratedRegex(@"(?<![\w/.-])(?:docs/[A-Za-z0-9_.-]+\.md|README\.md)(?:#[A-Za-z0-9_-]+)?")]
    private static partial Regex DocsCitation();
}
