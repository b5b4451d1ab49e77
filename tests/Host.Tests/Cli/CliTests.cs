namespace NanoDet.Host.Tests.Cli;

/// <summary>The real executable: exit codes and one-line errors.</summary>
public class CliTests
{
    [Fact]
    public void Plugins_lists_an_external_plugin_from_a_configured_folder()
    {
        var folder = TestPaths.InstallSamplePlugin(TestPaths.NewTempDir("cli-plugins"));
        var r = CliProcess.Run(TestPaths.NewTempDir("cwd"), "plugins", "--set", $"plugins:paths=[{folder}]");
        Assert.True(r.ExitCode == 0, r.All);
        Assert.Contains("TinyBackbone", r.StdOut);
        Assert.Contains("NanoDet.SamplePlugin", r.StdOut);
        Assert.Contains("1.2.3.0", r.StdOut);
    }

    [Fact]
    public void Broken_yaml_exits_2_naming_file_and_line()
    {
        var dir = TestPaths.NewTempDir("cli-yaml");
        var file = Path.Combine(dir, "bad.yml");
        File.WriteAllText(file, "save_dir: x\nmodel:\n  arch: [1, 2\n");
        var r = CliProcess.Run(dir, "plugins", "--config", file);
        Assert.Equal(2, r.ExitCode);
        Assert.Matches($@"error: {System.Text.RegularExpressions.Regex.Escape(file)}:\d+: invalid YAML", r.StdErr);
        Assert.DoesNotContain("   at ", r.StdErr);
    }

    [Fact]
    public void Unknown_option_is_a_usage_error()
    {
        var r = CliProcess.Run(TestPaths.NewTempDir("cwd"), "plugins", "--no-such-option");
        Assert.Equal(2, r.ExitCode);
        Assert.Contains("--no-such-option", r.StdErr);
    }

    [Fact]
    public void Help_lists_every_verb()
    {
        var r = CliProcess.Run(TestPaths.NewTempDir("cwd"), "--help");
        Assert.Equal(0, r.ExitCode);
        foreach (var verb in new[] { "train", "eval", "predict", "export", "synth", "data", "plugins" })
            Assert.Contains(verb, r.StdOut);
    }
}
