using Microsoft.Extensions.Configuration;
using NanoDet.Abstractions.Plugins;
using NanoDet.Host.Plugins;
using NanoDet.Inference.Errors;

namespace NanoDet.Host.Tests.Plugins;

/// <summary>
/// A dataset and its pipeline bind from one section (NanoDet's data:train): each reports only its own unknown keys.
/// </summary>
public class SharedSectionTests
{
    [SharedSection("pipeline")]
    public sealed class DatasetLike
    {
        [ConfigurationKeyName("img_path")] public string? ImgPath { get; set; }
    }

    [SharedSection]
    public sealed class PipelineLike
    {
        [ConfigurationKeyName("input_size")] public List<int>? InputSize { get; set; }
        [ConfigurationKeyName("pipeline")] public Inner Pipeline { get; set; } = new();
    }

    public sealed class Inner
    {
        [ConfigurationKeyName("flip")] public double Flip { get; set; }
    }

    private static IConfigurationSection Section() => new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
    {
        ["data:train:name"] = "X",
        ["data:train:img_path"] = "a",
        ["data:train:imgg_path"] = "typo",
        ["data:train:input_size:0"] = "320",
        ["data:train:pipeline:flip"] = "0.5",
        ["data:train:pipeline:flipp"] = "typo",
    }).Build().GetSection("data:train");

    [Fact]
    public void Each_side_reports_only_its_own_typos()
    {
        // the dataset leaves 'pipeline' to the pipeline but still flags its own typo and a key nobody binds
        Assert.Equal(["data:train:imgg_path", "data:train:input_size"], OptionsBinder.UnknownKeys(typeof(DatasetLike), Section()).Order());
        // the pipeline ignores the dataset's keys yet checks inside its own nested block
        Assert.Equal(["data:train:pipeline:flipp"], OptionsBinder.UnknownKeys(typeof(PipelineLike), Section()));
    }
}
