using OpenCvSharp;

namespace NanoDet.Host.Tests.Cli;

/// <summary>The real executable: synth, data check, data preview, data convert.</summary>
public class DataCliTests
{
    [Fact]
    public void Synth_200_then_check_passes()
    {
        var cwd = TestPaths.NewTempDir("cli-synth");
        var r = CliProcess.Run(cwd, "synth", "--output", "out/synth", "--count", "200", "--seed", "3");
        Assert.True(r.ExitCode == 0, r.All);
        var train = Path.Combine(cwd, "out", "synth", "train");
        Assert.Equal(200, Directory.GetFiles(Path.Combine(train, "images")).Length);
        Assert.Equal(200, Directory.GetFiles(Path.Combine(train, "xml")).Length);
        Assert.Equal(201, Directory.GetFiles(Path.Combine(train, "labels")).Length); // + classes.txt
        Assert.True(File.Exists(Path.Combine(train, "annotations.json")));
        Assert.Contains("data check --from xml --input", r.StdOut);

        var check = CliProcess.Run(cwd, "data", "check", "--from", "xml", "--input", "out/synth/train/xml");
        Assert.True(check.ExitCode == 0, check.All);
        Assert.Contains("200 images", check.StdOut);
        Assert.Contains("nothing skipped", check.StdOut);
        Assert.Contains("outside their quadrant", check.StdOut);

        // the written config overlay points the train split at the files
        var viaConfig = CliProcess.Run(cwd, "data", "check", "--config", "out/synth/dataset.yml");
        Assert.True(viaConfig.ExitCode == 0, viaConfig.All);
        Assert.Contains("train: 200 images", viaConfig.StdOut);
    }

    [Fact]
    public void Synth_is_reproducible_and_refuses_to_overwrite()
    {
        var cwd = TestPaths.NewTempDir("cli-synth-det");
        string[] Args(string dir) => ["synth", "--output", dir, "--count", "6", "--val-count", "2", "--seed", "9", "--format", "coco,txt"];
        Assert.Equal(0, CliProcess.Run(cwd, Args("a")).ExitCode);
        Assert.Equal(0, CliProcess.Run(cwd, Args("b")).ExitCode);
        foreach (var f in new[] { "train/annotations.json", "train/images/000005.jpg", "val/images/000001.jpg", "train/labels/000003.txt" })
            Assert.Equal(File.ReadAllBytes(Path.Combine(cwd, "a", f)), File.ReadAllBytes(Path.Combine(cwd, "b", f)));
        Assert.False(Directory.Exists(Path.Combine(cwd, "a", "train", "xml")));

        var again = CliProcess.Run(cwd, Args("a"));
        Assert.Equal(2, again.ExitCode);
        Assert.Contains("exists and is not empty", again.StdErr);
        Assert.Equal(0, CliProcess.Run(cwd, [.. Args("a"), "--force"]).ExitCode);
    }

    [Fact]
    public void Default_profile_generates_into_the_cache_and_checks_cleanly()
    {
        var cwd = TestPaths.NewTempDir("cli-default");
        var cache = Path.Combine(cwd, "cache");
        var r = CliProcess.Run(cwd, "data", "check", "--set", "data:train:count=12", "--set", $"data:train:cache_dir={cache}");
        Assert.True(r.ExitCode == 0, r.All);
        Assert.Contains("train: 12 images", r.StdOut);
        Assert.Single(Directory.GetDirectories(cache));
        // dataset and pipeline share the section without complaining about each other's keys
        Assert.DoesNotContain("not used by", r.All);
    }

    [Fact]
    public void Preview_writes_a_png_grid()
    {
        var cwd = TestPaths.NewTempDir("cli-preview");
        Assert.Equal(0, CliProcess.Run(cwd, "synth", "--output", "s", "--count", "5", "--format", "xml").ExitCode);
        var r = CliProcess.Run(cwd, "data", "preview", "--from", "xml", "--input", "s/train/xml", "--count", "4", "--output", "p.png",
            "--set", "data:train:pipeline:flip=0.5");
        Assert.True(r.ExitCode == 0, r.All);
        using var png = Cv2.ImRead(Path.Combine(cwd, "p.png"));
        Assert.False(png.Empty());
        // Two rows and columns of the default profile's 320x256 network input, plus captions.
        Assert.True(png.Width > 2 * 320 && png.Height > 2 * 256, $"{png.Width}x{png.Height}");

        // mosaic samples: every one of them with mosaic_prob 1
        var mosaic = CliProcess.Run(cwd, "data", "preview", "--from", "xml", "--input", "s/train/xml", "--count", "4", "--output", "m.png",
            "--set", "data:train:pipeline:mosaic_prob=1", "--set", "data:train:pipeline:mixup_prob=0.5");
        Assert.True(mosaic.ExitCode == 0, mosaic.All);
        Assert.Matches(@"4\s+samples,\s+augmented,\s+4\s+mosaics", mosaic.StdOut); // the console may wrap the line
    }

    [Fact]
    public void Convert_round_trips_xml_coco_txt_exactly()
    {
        var cwd = TestPaths.NewTempDir("cli-convert");
        Assert.Equal(0, CliProcess.Run(cwd, "synth", "--output", "s", "--count", "8", "--format", "xml").ExitCode);
        var images = Path.Combine(cwd, "s", "train", "images");
        var steps = new[]
        {
            new[] { "--from", "xml", "--input", "s/train/xml", "--to", "coco", "--output", "c/a.json", "--to-point-order", "tl_tr_br_bl" },
            ["--from", "coco", "--input", "c/a.json", "--images", images, "--point-order", "tl_tr_br_bl", "--to", "txt", "--output", "t/labels"],
            ["--from", "txt", "--input", "t/labels", "--images", images, "--to", "xml", "--output", "x"],
        };
        foreach (var s in steps)
        {
            var r = CliProcess.Run(cwd, ["data", "convert", .. s]);
            Assert.True(r.ExitCode == 0, r.All);
            Assert.Contains("wrote 8 images", r.StdOut);
        }
        foreach (var f in Directory.GetFiles(Path.Combine(cwd, "s", "train", "xml")))
            Assert.Equal(File.ReadAllText(f), File.ReadAllText(Path.Combine(cwd, "x", Path.GetFileName(f))));
    }

    [Fact]
    public void Bad_input_gives_one_line_errors_and_exit_codes()
    {
        var cwd = TestPaths.NewTempDir("cli-bad");
        var missing = CliProcess.Run(cwd, "data", "check", "--from", "xml", "--input", "nope");
        Assert.Equal(2, missing.ExitCode);
        Assert.Contains("error: --input: folder not found", missing.StdErr);
        Assert.DoesNotContain("   at ", missing.StdErr);

        Directory.CreateDirectory(Path.Combine(cwd, "images"));
        File.WriteAllText(Path.Combine(cwd, "bad.json"), "{\n \"images\": [\n  {\"id\": 1,,}\n ]\n}\n");
        var json = CliProcess.Run(cwd, "data", "check", "--from", "coco", "--input", "bad.json");
        Assert.Equal(1, json.ExitCode);
        Assert.Contains("error: bad.json:3: invalid JSON", json.StdErr);

        Directory.CreateDirectory(Path.Combine(cwd, "xml"));
        File.WriteAllText(Path.Combine(cwd, "xml", "a.xml"), "<annotation><filename>none.png</filename></annotation>");
        var empty = CliProcess.Run(cwd, "data", "check", "--from", "xml", "--input", "xml");
        Assert.Equal(1, empty.ExitCode);
        Assert.Contains("missing image", empty.StdOut);
        Assert.Contains("nothing usable", empty.StdErr);

        var format = CliProcess.Run(cwd, "data", "convert", "--from", "xml", "--input", "xml", "--to", "yaml", "--output", "o");
        Assert.Equal(2, format.ExitCode);
        Assert.Contains("--to: unknown format 'yaml'", format.StdErr);
    }
}
