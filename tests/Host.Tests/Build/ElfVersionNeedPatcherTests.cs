using System.Security.Cryptography;
using NanoDet.Build;

namespace NanoDet.Host.Tests.Build;

/// <summary>The GLIBCXX_3.4.32 fix (build/ElfVersionNeedPatcher.cs) on the real libLibTorchSharp.so.</summary>
public class ElfVersionNeedPatcherTests
{
    private const string Version = "GLIBCXX_3.4.32";

    private static string CachedLibrary()
    {
        var home = Environment.GetEnvironmentVariable("NUGET_PACKAGES")
            ?? Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".nuget", "packages");
        return Path.Combine(home, "torchsharp", "0.107.0", "runtimes", "linux-x64", "native", "libLibTorchSharp.so");
    }

    [Fact]
    public void Patch_marks_only_the_named_version_weak_and_is_idempotent()
    {
        var original = File.ReadAllBytes(CachedLibrary());
        var before = ElfVersionNeedPatcher.ListRequirements(original);
        Assert.Contains(before, r => r.Key == Version && !r.Value);

        var bytes = (byte[])original.Clone();
        var changed = ElfVersionNeedPatcher.Patch(bytes, [Version]);
        Assert.Equal([Version], changed);
        var after = ElfVersionNeedPatcher.ListRequirements(bytes);
        Assert.Equal(before.Count, after.Count);
        for (int i = 0; i < before.Count; i++)
        {
            Assert.Equal(before[i].Key, after[i].Key);
            Assert.Equal(before[i].Key == Version || before[i].Value, after[i].Value);
        }
        // Exactly one flags field (2 bytes) differs.
        Assert.Equal(1, original.Zip(bytes).Count(p => p.First != p.Second));

        Assert.Empty(ElfVersionNeedPatcher.Patch(bytes, [Version]));
    }

    [Fact]
    public void Build_output_copy_is_patched_and_the_nuget_cache_is_not()
    {
        var output = Directory.GetFiles(AppContext.BaseDirectory, "libLibTorchSharp.so", SearchOption.AllDirectories).Single();
        Assert.Contains(ElfVersionNeedPatcher.ListRequirements(File.ReadAllBytes(output)), r => r.Key == Version && r.Value);
        Assert.Contains(ElfVersionNeedPatcher.ListRequirements(File.ReadAllBytes(CachedLibrary())), r => r.Key == Version && !r.Value);
    }

    [Fact]
    public void PatchFile_replaces_the_file_and_never_writes_through_a_hard_link()
    {
        var dir = TestPaths.NewTempDir("elf");
        var source = Path.Combine(dir, "cache.so");
        File.Copy(CachedLibrary(), source);
        var link = Path.Combine(dir, "output.so");
        using (var ln = System.Diagnostics.Process.Start("ln", [source, link]))
        {
            ln.WaitForExit();
            Assert.Equal(0, ln.ExitCode);
        }
        var hash = SHA256.HashData(File.ReadAllBytes(source));

        Assert.Equal([Version], ElfVersionNeedPatcher.PatchFile(link, [Version]));
        Assert.Empty(ElfVersionNeedPatcher.PatchFile(link, [Version]));
        Assert.Equal(hash, SHA256.HashData(File.ReadAllBytes(source)));
    }

    [Fact]
    public void Rejects_files_that_are_not_elf()
    {
        Assert.Throws<InvalidDataException>(() => ElfVersionNeedPatcher.Patch(new byte[128], [Version]));
    }
}
