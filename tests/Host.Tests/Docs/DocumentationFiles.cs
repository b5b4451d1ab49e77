namespace NanoDet.Host.Tests.Docs;

/// <summary>The user documentation (README.md and docs/*.md) and the repository text files that may cite it.</summary>
internal static class DocumentationFiles
{
    public static string Root => TestPaths.RepoRoot;

    /// <summary>README.md and every docs/*.md, as full paths.</summary>
    public static IReadOnlyList<string> Markdown() =>
        [Path.Combine(Root, "README.md"), .. Directory.GetFiles(Path.Combine(Root, "docs"), "*.md").Order(StringComparer.Ordinal)];

    /// <summary>Source, script and config files of the repository (build output excluded).</summary>
    public static IEnumerable<string> SourceText()
    {
        string[] folders = ["src", "plugins", "tests", "tools", "build", "configs", "benchmarks", "scripts"];
        string[] extensions = [".cs", ".py", ".yml", ".yaml", ".sh", ".props", ".targets", ".csproj"];
        foreach (var folder in folders.Select(f => Path.Combine(Root, f)).Where(Directory.Exists))
            foreach (var file in Directory.EnumerateFiles(folder, "*", SearchOption.AllDirectories))
            {
                var rel = Relative(file);
                if (rel.Split('/').Any(part => part is "bin" or "obj")) continue;
                if (extensions.Contains(Path.GetExtension(file), StringComparer.Ordinal)) yield return file;
            }
    }

    public static string Relative(string path) => Path.GetRelativePath(Root, path).Replace('\\', '/');
}
