using NanoDet.Host.Configuration;

namespace NanoDet.Host.Tests.Configuration;

/// <summary>
/// A head described by a checkpoint's embedded configuration or a --config file without corner_encoding is the
/// seed's quadrant head, whatever the base profile chooses; an explicit choice anywhere still wins in order.
/// </summary>
public class LegacyHeadDefaultsTests
{
    private static string Base()
    {
        var dir = TestPaths.NewTempDir("cfg-legacy");
        File.WriteAllText(Path.Combine(dir, "appsettings.json"), """
            { "model": { "arch": { "head": { "name": "NanoDetPlusHead", "corner_encoding": "signed", "reg_max": 7 } } } }
            """);
        File.WriteAllText(Path.Combine(dir, "seed.yml"), """
            model:
              arch:
                head:
                  name: NanoDetPlusHead
                  reg_max: 7
            """);
        File.WriteAllText(Path.Combine(dir, "other.yml"), "save_dir: x\n");
        return dir;
    }

    private static string? Encoding(string dir, string? config = null, ConfigNode? embedded = null, params string[] sets) =>
        NanoDetConfiguration.Build(new ConfigSources(dir, null, config, new Dictionary<string, string?>(), sets, embedded))["model:arch:head:corner_encoding"];

    [Fact]
    public void The_base_profile_choice_applies_when_no_older_source_describes_the_head()
    {
        var dir = Base();
        Assert.Equal("signed", Encoding(dir));
        Assert.Equal("signed", Encoding(dir, Path.Combine(dir, "other.yml")));
    }

    [Fact]
    public void A_seed_yaml_or_an_old_checkpoint_config_means_quadrant()
    {
        var dir = Base();
        Assert.Equal("quadrant", Encoding(dir, Path.Combine(dir, "seed.yml")));
        var old = ConfigFileReader.ReadJson("""{ "model": { "arch": { "head": { "name": "NanoDetPlusHead", "reg_max": 7 } } } }""", "old checkpoint");
        Assert.Equal("quadrant", Encoding(dir, embedded: old));
        var recorded = ConfigFileReader.ReadJson("""{ "model": { "arch": { "head": { "corner_encoding": "signed" } } } }""", "new checkpoint");
        Assert.Equal("signed", Encoding(dir, embedded: recorded));
        Assert.Equal("signed", Encoding(dir, Path.Combine(dir, "seed.yml"), null, "model:arch:head:corner_encoding=signed"));
    }
}
