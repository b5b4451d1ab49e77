using NanoDet.Host.Configuration;

namespace NanoDet.Host.Tests.Configuration;

/// <summary>
/// Every shipped profile names as many classes as its heads predict, in the top-level list and in both data splits,
/// so changing a profile's class list (the footage profile adds the outposts) cannot leave a head behind.
/// </summary>
public class ShippedProfileClassesTests
{
    [Theory]
    [InlineData(null, 10)]
    [InlineData("footage", 12)]
    [InlineData("nanodet-plus-m_416", 36)]
    public void Heads_and_class_lists_agree(string? profile, int classes)
    {
        var bin = TestPaths.BinDir;
        var flat = NanoDetConfiguration.BuildTree(new ConfigSources(bin, profile, null, new Dictionary<string, string?>(), []))
            .Flatten().ToDictionary(kv => kv.Key, kv => kv.Value);
        int Count(string list) => flat.Keys.Count(k => k.StartsWith(list + ":", StringComparison.Ordinal) && int.TryParse(k[(list.Length + 1)..], out _));

        Assert.Equal(classes.ToString(System.Globalization.CultureInfo.InvariantCulture), flat["model:arch:head:num_classes"]);
        Assert.Equal(flat["model:arch:head:num_classes"], flat["model:arch:aux_head:num_classes"]);
        Assert.Equal(classes, Count("class_names"));
        Assert.Equal(classes, Count("data:train:class_names"));
        Assert.Equal(classes, Count("data:val:class_names"));
    }
}
