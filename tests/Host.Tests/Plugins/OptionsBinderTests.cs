using Microsoft.Extensions.Configuration;
using NanoDet.Host.Plugins;

namespace NanoDet.Host.Tests.Plugins;

public class OptionsBinderTests
{
    public sealed class Inner
    {
        [ConfigurationKeyName("sizes")]
        public int[] Sizes { get; set; } = [1, 2, 3];
    }

    public sealed class Outer
    {
        [ConfigurationKeyName("strides")]
        public int[] Strides { get; set; } = [8, 16, 32, 64];

        [ConfigurationKeyName("names")]
        public List<string> Names { get; set; } = ["a", "b"];

        [ConfigurationKeyName("inner")]
        public Inner Inner { get; set; } = new();
    }

    private static IConfigurationSection Section(params (string, string)[] kv) =>
        new ConfigurationBuilder().AddInMemoryCollection(kv.Select(p => new KeyValuePair<string, string?>("x:" + p.Item1, p.Item2)))
            .Build().GetSection("x");

    [Fact]
    public void A_configured_list_replaces_the_default_instead_of_appending_to_it()
    {
        var o = OptionsBinder.Bind<Outer>(Section(("strides:0", "8"), ("strides:1", "16"), ("strides:2", "32"),
            ("names:0", "z"), ("inner:sizes:0", "9")));
        Assert.Equal([8, 16, 32], o.Strides);
        Assert.Equal(["z"], o.Names);
        Assert.Equal([9], o.Inner.Sizes);
    }

    [Fact]
    public void Defaults_stay_when_the_section_does_not_set_them()
    {
        var o = OptionsBinder.Bind<Outer>(Section(("other", "1")));
        Assert.Equal([8, 16, 32, 64], o.Strides);
        Assert.Equal(["a", "b"], o.Names);
        Assert.Equal([1, 2, 3], o.Inner.Sizes);
    }
}
