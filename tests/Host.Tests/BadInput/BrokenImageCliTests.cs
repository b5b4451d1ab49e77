using NanoDet.Host.Tests.Cli;
using NanoDet.Host.Tests.Training;

namespace NanoDet.Host.Tests.BadInput;

/// <summary>A tiny XML training set written by <c>synth</c>, with broken image files planted in it.</summary>
public sealed class BrokenImageSet
{
    public BrokenImageSet()
    {
        Root = TestPaths.NewTempDir("broken-set");
        Cache = Path.Combine(Root, "cache");
        var synth = CliProcess.Run(Root, "synth", "--config", TrainingCli.Config, "--output", "data", "--count", "16", "--val-count", "4",
            "--format", "xml", "--seed", "5");
        Assert.True(synth.ExitCode == 0, synth.All);
        Images = Path.Combine(Root, "data", "train", "images");
        var jpegs = Directory.GetFiles(Images, "*.jpg").Order(StringComparer.Ordinal).ToArray();
        // header intact, entropy-coded data cut: loading accepts it, decoding fails when its batch is built
        Cut = jpegs[5];
        File.WriteAllBytes(Cut, File.ReadAllBytes(Cut)[..700]);
    }

    public string Root { get; }
    public string Cache { get; }
    public string Images { get; }
    public string Cut { get; }

    public string[] TrainArgs(string saveDir, params string[] extra) =>
    [
        "train", "--config", TrainingCli.Config, "--set", $"save_dir={saveDir}",
        "--set", "data:train:name=XMLDataset", "--set", $"data:train:img_path={Images}",
        "--set", $"data:train:ann_path={Path.Combine(Root, "data", "train", "xml")}",
        "--set", $"data:val:cache_dir={Cache}", "--set", "schedule:total_epochs=2", .. extra,
    ];
}

/// <summary>
/// Issue 17 through the real executable: a zero-byte image is a reported skip, a cut image is left out of its
/// batch while training goes on (and a resume leaves out the same), too many abort with one line.
/// </summary>
public class BrokenImageCliTests(BrokenImageSet set) : IClassFixture<BrokenImageSet>
{
    [Fact]
    public void Data_check_skips_a_zero_byte_image_and_decode_lists_the_cut_one()
    {
        var dir = TestPaths.NewTempDir("zero-byte-cli");
        var xml = Path.Combine(set.Root, "data", "train", "xml");
        var images = Path.Combine(dir, "images");
        Directory.CreateDirectory(images);
        foreach (var f in Directory.GetFiles(set.Images)) File.Copy(f, Path.Combine(images, Path.GetFileName(f)));
        var empty = Directory.GetFiles(images, "*.jpg").Order(StringComparer.Ordinal).First();
        File.WriteAllBytes(empty, []);

        var check = CliProcess.Run(dir, "data", "check", "--from", "xml", "--input", xml, "--images", images);
        Assert.True(check.ExitCode == 0, check.All);
        Assert.DoesNotContain("Empty span", check.All);
        Assert.Contains("15 images", check.StdOut);
        Assert.Contains("unreadable image", check.StdOut);
        Assert.Contains($"{Path.GetFileName(empty)} is an empty file", System.Text.RegularExpressions.Regex.Replace(check.All, @"[\s│]+", " "));

        var decode = CliProcess.Run(dir, "data", "check", "--from", "xml", "--input", xml, "--images", images, "--decode");
        Assert.True(decode.ExitCode == 0, decode.All);
        Assert.Contains("14 images", decode.StdOut);
        // the console wraps long lines at its width: compare with the line breaks and table borders taken out
        var flat = System.Text.RegularExpressions.Regex.Replace(decode.StdOut, @"[\s│]+", " ");
        Assert.Contains("undecodable image: 1", flat);
        // the table's last column wraps long paths inside words: join its pieces
        Assert.Contains(Path.GetFileName(set.Cut), System.Text.RegularExpressions.Regex.Replace(decode.StdOut, @"[\s│]+", ""));
    }

    [Fact]
    public void Training_leaves_the_cut_image_out_reports_it_and_resumes_with_the_same_skips()
    {
        var full = Path.Combine(set.Root, "full");
        var r = CliProcess.Run(set.Root, set.TrainArgs(full));
        Assert.True(r.ExitCode == 0, r.All);
        var name = Path.GetFileName(set.Cut);
        Assert.Contains($"{name}: undecodable image", r.StdErr);
        Assert.Contains("(left out of epoch 1)", r.StdErr);
        Assert.Contains("(left out of epoch 2)", r.StdErr);
        Assert.Contains("epoch 2: 1 training images could not be decoded and were left out", r.StdErr);
        Assert.Contains("undecodable images left out (all epochs)", r.StdErr);
        var state = TrainingCli.State(full);
        Assert.Equal([1, 1], state.History.Select(h => h.UndecodableImages));

        // one epoch, then a resume for the second: the same skips and bit-identical weights
        var split = Path.Combine(set.Root, "split");
        var first = CliProcess.Run(set.Root, set.TrainArgs(split, "--set", "schedule:total_epochs=1"));
        Assert.True(first.ExitCode == 0, first.All);
        var second = CliProcess.Run(set.Root, "train", "--resume", Path.Combine(split, "resume_last.safetensors"), "--set", "schedule:total_epochs=2");
        Assert.True(second.ExitCode == 0, second.All);
        Assert.Contains("(left out of epoch 2)", second.StdErr);
        TrainingCli.AssertSameWeights(full, split);
        Assert.Equal(state.GlobalStep, TrainingCli.State(split).GlobalStep);
    }

    [Fact]
    public void More_undecodable_images_than_the_share_abort_with_one_line_naming_share_and_files()
    {
        var dir = Path.Combine(set.Root, "abort");
        var r = CliProcess.Run(set.Root, set.TrainArgs(dir, "--set", "schedule:max_undecodable_share=0.05"));
        Assert.True(r.ExitCode == 1, r.All);
        var error = Assert.Single(r.StdErr.Split('\n'), l => l.StartsWith("error: ", StringComparison.Ordinal));
        Assert.Contains("1 of 16 training images of epoch 1 (6.3 %) could not be decoded", error);
        Assert.Contains("schedule:max_undecodable_share = 0.05", error);
        Assert.Contains(set.Cut, error);
        Assert.DoesNotContain("   at ", r.All);
    }
}
