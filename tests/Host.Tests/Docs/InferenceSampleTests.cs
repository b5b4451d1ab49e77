namespace NanoDet.Host.Tests.Docs;

/// <summary>The inference package's README shows the code of samples/OnnxDetect, which the solution builds.</summary>
public class InferenceSampleTests
{
    [Fact]
    public void The_package_readme_sample_is_the_built_sample()
    {
        var sample = File.ReadAllLines(Path.Combine(TestPaths.RepoRoot, "samples", "OnnxDetect", "Program.cs"))
            .Where(l => !l.StartsWith("//", StringComparison.Ordinal)).SkipWhile(string.IsNullOrWhiteSpace);
        var readme = File.ReadAllText(Path.Combine(TestPaths.RepoRoot, "src", "Inference", "README.md"));
        var start = readme.IndexOf("```csharp\n", StringComparison.Ordinal) + "```csharp\n".Length;
        var block = readme[start..readme.IndexOf("\n```", start, StringComparison.Ordinal)];
        Assert.Equal(string.Join("\n", sample).TrimEnd(), block);
        Assert.True(block.Split('\n').Count(l => l.Length > 0 && !l.StartsWith("using ", StringComparison.Ordinal)) <= 10,
            "the sample a vision loop copies stays at ten lines");
    }
}
