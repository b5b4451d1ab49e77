using System.Reflection;

namespace NanoDet.Tests.Shared;

/// <summary>Paths baked in at build time (see the .csproj) and temp-folder helpers.</summary>
public static class TestPaths
{
    private static string Meta(string key) =>
        typeof(TestPaths).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().First(a => a.Key == key).Value!;

    /// <summary>Output folder of tests/SamplePlugin (built before this project, never referenced).</summary>
    public static string SamplePluginDir => Path.GetFullPath(Meta("SamplePluginDir"));

    public static string RepoRoot => Path.GetFullPath(Meta("RepoRoot"));

    /// <summary>The test output folder: nanodet.dll and appsettings*.json are deployed here.</summary>
    public static string BinDir => AppContext.BaseDirectory;

    public static string NewTempDir(string prefix)
    {
        var d = Path.Combine(Path.GetTempPath(), "nanodet-tests", $"{prefix}-{Guid.NewGuid():N}");
        Directory.CreateDirectory(d);
        return d;
    }

    /// <summary>Copies the sample plugin's assemblies into a fresh folder, as a user would install it.</summary>
    public static string InstallSamplePlugin(string root)
    {
        Directory.CreateDirectory(root);
        foreach (var f in Directory.GetFiles(SamplePluginDir))
            File.Copy(f, Path.Combine(root, Path.GetFileName(f)), overwrite: true);
        return root;
    }
}
