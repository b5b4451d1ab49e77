using Microsoft.Extensions.Configuration;
using NanoDet.Abstractions.Plugins;
using NanoDet.Detectors;
using NanoDet.Host.Configuration;
using NanoDet.Inference.Errors;

namespace NanoDet.Host.Tests.Configuration;

/// <summary>appsettings.json → profile → --config → NANODET__ env → --set, later wins.</summary>
public class ConfigurationPrecedenceTests
{
    private static string WriteBase()
    {
        var dir = TestPaths.NewTempDir("cfg");
        File.WriteAllText(Path.Combine(dir, "appsettings.json"), """
            { "save_dir": "base", "a": { "b": "base", "c": "base", "d": "base", "e": "base", "f": "base" },
              "list": [1, 2, 3] }
            """);
        File.WriteAllText(Path.Combine(dir, "appsettings.p.json"), """
            { "a": { "b": "profile", "c": "profile", "d": "profile", "e": "profile" } }
            """);
        File.WriteAllText(Path.Combine(dir, "cfg.yml"), """
            a:
              b: yaml
              c: yaml
              d: yaml
            list: [7, 8]
            """);
        return dir;
    }

    private static IConfiguration Build(string dir, string? profile, string? config,
        Dictionary<string, string?>? env = null, params string[] sets) =>
        NanoDetConfiguration.Build(new ConfigSources(dir, profile, config, env ?? new(), sets));

    [Fact]
    public void Later_sources_win_in_the_documented_order()
    {
        var dir = WriteBase();
        var c = Build(dir, "p", Path.Combine(dir, "cfg.yml"),
            new() { ["NANODET__a__b"] = "env", ["NANODET__a__c"] = "env", ["OTHER__a__b"] = "ignored" },
            "a:b=set");
        Assert.Equal("set", c["a:b"]);
        Assert.Equal("env", c["a:c"]);
        Assert.Equal("yaml", c["a:d"]);
        Assert.Equal("profile", c["a:e"]);
        Assert.Equal("base", c["a:f"]);
        Assert.Equal("base", c["save_dir"]);
    }

    [Fact]
    public void A_later_list_replaces_a_longer_one_instead_of_merging_by_index()
    {
        var dir = WriteBase();
        var c = Build(dir, null, Path.Combine(dir, "cfg.yml"));
        Assert.Equal(new[] { "7", "8" }, c.GetSection("list").GetChildren().Select(x => x.Value ?? "").ToArray());

        var s = Build(dir, null, null, null, "list=[320, 256]");
        Assert.Equal(new[] { "320", "256" }, s.GetSection("list").GetChildren().Select(x => x.Value ?? "").ToArray());
    }

    [Fact]
    public void Set_accepts_dotted_keys_and_rejects_items_without_equals()
    {
        var dir = WriteBase();
        Assert.Equal("x", Build(dir, null, null, null, "a.b=x")["a:b"]);
        var e = Assert.Throws<ConfigurationException>(() => Build(dir, null, null, null, "a:b"));
        Assert.Contains("--set 'a:b'", e.Message);
    }

    [Fact]
    public void Unknown_profile_lists_the_available_ones()
    {
        var dir = WriteBase();
        var e = Assert.Throws<ConfigurationException>(() => Build(dir, "nope", null));
        Assert.Contains("profile 'nope' not found", e.Message);
        Assert.Contains("available: p", e.Message);
    }

    [Fact]
    public void Broken_yaml_names_file_and_line()
    {
        var dir = TestPaths.NewTempDir("cfg");
        var file = Path.Combine(dir, "broken.yml");
        File.WriteAllText(file, "model:\n  arch:\n    name: NanoDetPlus\n  backbone: [1, 2\nsave_dir: x\n");
        var e = Assert.Throws<ConfigurationException>(() => Build(dir, null, file));
        Assert.Matches($@"^{System.Text.RegularExpressions.Regex.Escape(file)}:\d+: invalid YAML", e.Message);
    }

    [Fact]
    public void Broken_json_names_file_and_line()
    {
        var dir = TestPaths.NewTempDir("cfg");
        var file = Path.Combine(dir, "broken.json");
        File.WriteAllText(file, "{\n  \"a\": 1,\n  \"b\": [1, 2\n}\n");
        var e = Assert.Throws<ConfigurationException>(() => Build(dir, null, file));
        Assert.StartsWith($"{file}:4: invalid JSON", e.Message);
    }

    [Fact]
    public void Missing_config_file_is_a_configuration_error()
    {
        var e = Assert.Throws<ConfigurationException>(() => Build(TestPaths.NewTempDir("cfg"), null, "/nonexistent/x.yml"));
        Assert.Contains("/nonexistent/x.yml: config file not found", e.Message);
    }

    [Fact]
    public void A_scalar_and_a_mapping_can_share_a_key()
    {
        // appsettings says device: "cpu"; a NanoDet YAML adds device: {batchsize_per_gpu: 8}.
        var dir = TestPaths.NewTempDir("cfg");
        File.WriteAllText(Path.Combine(dir, "appsettings.json"), """{ "device": "cpu" }""");
        File.WriteAllText(Path.Combine(dir, "n.yml"), "device:\n  gpu_ids: [0]\n  batchsize_per_gpu: 8\n");
        var c = Build(dir, null, Path.Combine(dir, "n.yml"));
        Assert.Equal("cpu", c.GetSection("device").Value);
        Assert.Equal("8", c["device:batchsize_per_gpu"]);
    }

    [Fact]
    public void A_section_that_names_another_plugin_replaces_the_old_keys()
    {
        var dir = TestPaths.NewTempDir("cfg");
        File.WriteAllText(Path.Combine(dir, "appsettings.json"),
            """{ "data": { "train": { "name": "SyntheticArmor", "count": 3000, "input_size": [320, 320] } } }""");
        File.WriteAllText(Path.Combine(dir, "x.yml"), "data:\n  train:\n    name: XMLDataset\n    img_path: a\n");
        File.WriteAllText(Path.Combine(dir, "same.yml"), "data:\n  train:\n    name: SyntheticArmor\n    count: 10\n");
        var replaced = Build(dir, null, Path.Combine(dir, "x.yml"));
        Assert.Null(replaced["data:train:count"]);
        Assert.Equal("a", replaced["data:train:img_path"]);
        var merged = Build(dir, null, Path.Combine(dir, "same.yml"));
        Assert.Equal("10", merged["data:train:count"]);
        Assert.Equal("320", merged["data:train:input_size:0"]);
    }
}
