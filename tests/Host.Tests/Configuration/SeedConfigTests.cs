using System.Globalization;
using NanoDet.Host.Configuration;

namespace NanoDet.Host.Tests.Configuration;

/// <summary>
/// The seed tutorial's four-point config (configs/nanodet-plus-m_416-fourpoint.yml) loads unchanged from YAML
/// and yields the same configuration as the equivalent profile (appsettings.nanodet-plus-m_416.json).
/// </summary>
public class SeedConfigTests
{
    private static Dictionary<string, string?> Flat(ConfigNode n) =>
        n.Flatten().ToDictionary(kv => kv.Key.ToLowerInvariant(), kv => Normalise(kv.Value));

    /// <summary>Numbers compare by value (YAML 0.00005 = JSON 5e-05), booleans case-insensitively.</summary>
    private static string? Normalise(string? v)
    {
        if (v is null) return null;
        if (double.TryParse(v, NumberStyles.Float, CultureInfo.InvariantCulture, out var d))
            return d.ToString("R", CultureInfo.InvariantCulture);
        return bool.TryParse(v, out var b) ? b.ToString() : v;
    }

    [Fact]
    public void Yaml_and_profile_give_the_same_tree()
    {
        var bin = TestPaths.BinDir;
        var yml = Path.Combine(bin, "configs", "nanodet-plus-m_416-fourpoint.yml");
        var fromYaml = Flat(NanoDetConfiguration.BuildTree(new ConfigSources(bin, null, yml, new Dictionary<string, string?>(), [])));
        var fromProfile = Flat(NanoDetConfiguration.BuildTree(new ConfigSources(bin, "nanodet-plus-m_416", null, new Dictionary<string, string?>(), [])));
        Assert.Equal(fromProfile.OrderBy(k => k.Key), fromYaml.OrderBy(k => k.Key));

        // Spot checks that the YAML anchors and flow lists were read.
        Assert.Equal("B_G", fromYaml["data:train:class_names:0"]);
        Assert.Equal("P_Bb", fromYaml["data:val:class_names:35"]);
        Assert.Equal("1", fromYaml["data:train:pipeline:stretch:1:1"]);
        Assert.Equal("True", fromYaml["model:arch:fpn:use_depthwise"]);
        Assert.Equal("1.0x", fromYaml["model:arch:backbone:model_size"]);
    }
}
