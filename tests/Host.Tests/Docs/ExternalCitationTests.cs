namespace NanoDet.Host.Tests.Docs;

/// <summary>
/// The repository explains itself: no source file or document cites the team's reference folder (its specification
/// and design notes are not part of a clone); the facts live in docs/reference.md and are cited there.
/// </summary>
public class ExternalCitationTests
{
    // Built from parts so this file does not match itself.
    private static readonly string[] Forbidden = ["SPEC" + " §", "DESIGN" + ".md", "SPEC" + ".md", "../" + "shared/"];

    [Fact]
    public void No_file_cites_documents_outside_the_repository()
    {
        var hits = new List<string>();
        foreach (var file in DocumentationFiles.SourceText().Concat(DocumentationFiles.Markdown()))
        {
            int line = 0;
            foreach (var text in File.ReadLines(file))
            {
                line++;
                foreach (var f in Forbidden.Where(f => text.Contains(f, StringComparison.Ordinal)))
                    hits.Add($"{DocumentationFiles.Relative(file)}:{line}: {f}");
            }
        }
        Assert.True(hits.Count == 0, string.Join("\n", hits));
    }
}
