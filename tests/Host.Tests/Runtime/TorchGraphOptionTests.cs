using Microsoft.Extensions.Configuration;
using NanoDet.Host.Inference;
using NanoDet.Host.Plugins;
using NanoDet.Host.Runtime;
using NanoDet.Inference.Errors;

namespace NanoDet.Host.Tests.Runtime;

/// <summary><c>device:torch_graph</c>: the three forms, the old switch values, and a clear error for anything else.</summary>
public class TorchGraphOptionTests
{
    private static DeviceOptions Bind(string? value)
    {
        var values = value is null ? [] : new[] { new KeyValuePair<string, string?>("device:torch_graph", value) };
        return OptionsBinder.Bind<DeviceOptions>(new ConfigurationBuilder().AddInMemoryCollection(values).Build().GetSection("device"));
    }

    [Theory]
    [InlineData(null, "Fused")]
    [InlineData("fused", "Fused")]
    [InlineData("torchscript", "TorchScript")]
    [InlineData("module", "Module")]
    [InlineData("true", "Fused")]
    [InlineData("False", "Module")]
    public void Each_value_selects_its_forward(string? value, string expected) =>
        Assert.Equal(Enum.Parse<TorchForward>(expected), Bind(value).TorchForward);

    [Fact]
    public void An_unknown_value_names_the_key()
    {
        var e = Assert.Throws<ConfigurationException>(() => Bind("compiled"));
        Assert.Contains("device:torch_graph", e.Message);
        Assert.Contains("compiled", e.Message);
    }
}
