using Microsoft.Extensions.Logging.Abstractions;
using NanoDet.Abstractions.Data;
using NanoDet.Abstractions.Plugins;
using NanoDet.Datasets.Synthetic;
using NanoDet.Inference.Errors;
using NanoDet.Inference.Geometry;
using OpenCvSharp;

namespace NanoDet.Datasets.Tests;

/// <summary>The generator: byte-identical output for a seed whatever the threads, labels on the light bars, cache behaviour.</summary>
public class SyntheticArmorTests
{
    private static ArmorGeneratorSettings Settings(int count = 6, int seed = 5, string split = "train", Action<SyntheticArmorOptions>? tweak = null)
    {
        var o = new SyntheticArmorOptions { Count = count, Seed = seed, Split = split, ImageSize = [200, 160] };
        tweak?.Invoke(o);
        return ArmorGeneratorSettings.From(o, "data:train");
    }

    private static Dictionary<string, byte[]> Files(string folder) =>
        Directory.EnumerateFiles(folder, "*", SearchOption.AllDirectories)
            .ToDictionary(f => Path.GetRelativePath(folder, f), File.ReadAllBytes);

    [Fact]
    public void Same_seed_gives_identical_bytes_for_any_thread_count()
    {
        var root = TestFiles.NewTempDir("synth-det");
        var s = Settings();
        SyntheticGenerator.Generate(s, Path.Combine(root, "one"), workers: 1, NullLogger.Instance);
        SyntheticGenerator.Generate(s, Path.Combine(root, "two"), workers: 2, NullLogger.Instance);
        var a = Files(Path.Combine(root, "one"));
        var b = Files(Path.Combine(root, "two"));
        Assert.Equal(a.Keys.Order(), b.Keys.Order());
        Assert.Equal(8, a.Count); // 6 images, annotations.json, generator.txt
        foreach (var k in a.Keys) Assert.True(a[k].AsSpan().SequenceEqual(b[k]), $"{k} differs between 1 and 2 threads");

        // another seed or split draws other images
        SyntheticGenerator.Generate(Settings(seed: 6), Path.Combine(root, "other"), 2, NullLogger.Instance);
        SyntheticGenerator.Generate(Settings(split: "val"), Path.Combine(root, "val"), 2, NullLogger.Instance);
        Assert.False(a["images/000000.jpg"].AsSpan().SequenceEqual(File.ReadAllBytes(Path.Combine(root, "other", "images", "000000.jpg"))));
        Assert.False(a["images/000000.jpg"].AsSpan().SequenceEqual(File.ReadAllBytes(Path.Combine(root, "val", "images", "000000.jpg"))));
    }

    [Fact]
    public void Corners_are_the_light_bar_ends()
    {
        // clean frames (no blur, noise, occlusion) with lit bars only: every corner pixel is on a bright bar core,
        // and corners are in canonical order on screen
        var s = Settings(24, tweak: o =>
        {
            o.Blur = 0; o.Noise = 0; o.Occlusion = 0; o.NegativeFraction = 0; o.Colors = ["blue", "red", "purple"]; o.MaxRoll = 20;
        });
        int plates = 0;
        for (int i = 0; i < s.Count; i++)
        {
            var (img, objects) = SyntheticGenerator.RenderOne(s, i);
            using (img)
                foreach (var a in objects)
                {
                    plates++;
                    var q = a.Points!.Value;
                    Assert.Equal(q.Bounds(), a.Box);
                    Assert.True(q.Tl.X < q.Tr.X && q.Bl.X < q.Br.X && q.Tl.Y < q.Bl.Y && q.Tr.Y < q.Br.Y, $"image {i}: {q}");
                    for (int k = 0; k < 4; k++)
                    {
                        var px = img.At<Vec3b>((int)Math.Round(q[k].Y), (int)Math.Round(q[k].X));
                        Assert.True(Math.Max(px.Item0, Math.Max(px.Item1, px.Item2)) > 140, $"image {i} corner {k + 1} at {q[k]} is dark: {px}");
                    }
                    Assert.InRange(q.Tl.X, 0, s.Width);
                    Assert.InRange(q.Br.Y, 0, s.Height);
                }
        }
        Assert.True(plates > 24, $"only {plates} plates in 24 images");
    }

    [Fact]
    public void Only_the_configured_colours_and_stickers_are_drawn()
    {
        var s = Settings(tweak: o => { o.Colors = ["red"]; o.Numbers = ["3", "O"]; });
        Assert.Equal(["R_3", "R_O"], s.Classes.Select(c => s.ClassNames[c.Label]));
        var e = Assert.Throws<ConfigurationException>(() => Settings(tweak: o => o.ClassNames = ["car", "person"]));
        Assert.StartsWith("data:train: no name in class_names", e.Message);
    }

    [Fact]
    public void The_dataset_is_generated_once_into_a_keyed_cache_and_reused()
    {
        var cache = TestFiles.NewTempDir("synth-cache");
        var section = TestFiles.Section("data:train", ("cache_dir", cache));
        var options = new SyntheticArmorOptions { Count = 4, ImageSize = [160, 128], CacheDir = cache };
        var plugin = new SyntheticArmor();
        var first = plugin.Create(options, TestFiles.Context(section));
        Assert.Equal(4, first.Images.Count);
        Assert.Empty(first.Report.Skipped);
        var folder = Assert.Single(Directory.GetDirectories(cache));
        var stamp = File.GetLastWriteTimeUtc(Path.Combine(folder, "annotations.json"));

        var again = plugin.Create(options, TestFiles.Context(section));
        Assert.Single(Directory.GetDirectories(cache));
        Assert.Equal(stamp, File.GetLastWriteTimeUtc(Path.Combine(folder, "annotations.json")));
        Assert.Equal(first.Images.Select(r => r.Annotations.Count), again.Images.Select(r => r.Annotations.Count));

        options.Noise = 3; // any generator change → a new folder
        plugin.Create(options, TestFiles.Context(section));
        Assert.Equal(2, Directory.GetDirectories(cache).Length);
        using var img = first.ReadImage(first.Images[0]);
        Assert.Equal((160, 128), (img.Width, img.Height));
    }

    [Fact]
    public void An_interrupted_generation_leaves_nothing_behind()
    {
        var root = TestFiles.NewTempDir("synth-cancel");
        using var cts = new CancellationTokenSource();
        cts.Cancel();
        Assert.ThrowsAny<OperationCanceledException>(() =>
            SyntheticGenerator.Generate(Settings(50), Path.Combine(root, "set"), 2, NullLogger.Instance, cts.Token));
        Assert.Empty(Directory.EnumerateFileSystemEntries(root));
    }

    [Fact]
    public void Generated_labels_read_back_through_the_coco_reader()
    {
        var root = TestFiles.NewTempDir("synth-read");
        var s = Settings(5);
        SyntheticGenerator.Generate(s, Path.Combine(root, "set"), 2, NullLogger.Instance);
        var ds = Coco.CocoDataset.Load("t", Path.Combine(root, "set", "images"), Path.Combine(root, "set", "annotations.json"), s.ClassNames,
            Common.PointOrder.Canonical, new Common.ObjectRules(), true, NullLogger.Instance);
        for (int i = 0; i < 5; i++)
        {
            var (img, objects) = SyntheticGenerator.RenderOne(s, i);
            img.Dispose();
            Assert.Equal(objects.Select(o => (o.Label, o.Points)), ds.Images[i].Annotations.Select(o => (o.Label, o.Points)));
        }
    }
}
