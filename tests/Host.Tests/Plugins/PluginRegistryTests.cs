using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using NanoDet.Abstractions.Model;
using NanoDet.Abstractions.Plugins;
using NanoDet.Host.Plugins;
using NanoDet.Inference.Detections;
using NanoDet.Inference.Errors;
using NanoDet.Inference.Geometry;
using static TorchSharp.torch;

namespace NanoDet.Host.Tests.Plugins;

public class PluginRegistryTests
{
    private static (IPluginResolver Resolver, PluginCatalog Catalog) Registry(params string[] folders)
    {
        var services = new ServiceCollection();
        var catalog = PluginCatalog.Register(services, PluginCatalog.LoadAssemblies(folders, i => $"plugins:paths:{i}"));
        var provider = services.BuildServiceProvider();
        return (new PluginResolver(provider, catalog, NullLoggerFactory.Instance), catalog);
    }

    private static IConfigurationSection Section(string path, params (string Key, string Value)[] values) =>
        new ConfigurationBuilder()
            .AddInMemoryCollection(values.Select(v => new KeyValuePair<string, string?>($"{path}:{v.Key}", v.Value)))
            .Build().GetSection(path);

    [Fact]
    public void External_folder_plugin_is_discovered_and_resolved_by_name()
    {
        var folder = TestPaths.InstallSamplePlugin(TestPaths.NewTempDir("plugins"));
        var (resolver, catalog) = Registry(folder);

        var d = catalog.Find(PluginKind.Backbone, "TinyBackbone");
        Assert.NotNull(d);
        Assert.Equal("NanoDet.SamplePlugin", d.AssemblyName);
        Assert.Equal("1.2.3.0", d.Version);
        Assert.StartsWith(folder, d.Location);

        using var scope = NewDisposeScope();
        var backbone = resolver.Create<BackboneModule>(PluginKind.Backbone,
            Section("model:arch:backbone", ("name", "TinyBackbone"), ("width", "4")));
        var outs = backbone.forward(zeros(1, 3, 64, 64));
        Assert.Equal([4, 8, 16], backbone.OutChannels);
        Assert.Equal(new long[] { 1, 16, 2, 2 }, outs[2].shape);
    }

    [Fact]
    public void Two_plugins_with_one_kind_and_name_fail_naming_both_assemblies()
    {
        var a = TestPaths.InstallSamplePlugin(TestPaths.NewTempDir("dup-a"));
        var b = TestPaths.InstallSamplePlugin(TestPaths.NewTempDir("dup-b"));
        var e = Assert.Throws<ConfigurationException>(() => Registry(a, b));
        Assert.Matches("two plugins are registered as (backbone 'TinyBackbone'|head 'NonFiniteLossHead')", e.Message);
        Assert.Contains(Path.Combine(a, "NanoDet.SamplePlugin.dll"), e.Message);
        Assert.Contains(Path.Combine(b, "NanoDet.SamplePlugin.dll"), e.Message);
    }

    [Fact]
    public void Unknown_name_lists_the_names_available_for_that_kind()
    {
        var folder = TestPaths.InstallSamplePlugin(TestPaths.NewTempDir("plugins"));
        var (resolver, _) = Registry(folder);
        var e = Assert.Throws<ConfigurationException>(() =>
            resolver.Create<BackboneModule>(PluginKind.Backbone, Section("model:arch:backbone", ("name", "Nope"))));
        Assert.StartsWith("model:arch:backbone:name: unknown backbone 'Nope'; available: ", e.Message);
        Assert.Contains("TinyBackbone", e.Message);
    }

    [Fact]
    public void Missing_name_is_reported_with_its_key()
    {
        var (resolver, _) = Registry();
        var e = Assert.Throws<ConfigurationException>(() =>
            resolver.Create<BackboneModule>(PluginKind.Backbone, Section("model:arch:backbone", ("width", "4"))));
        Assert.StartsWith("model:arch:backbone:name: missing", e.Message);
    }

    [Fact]
    public void Invalid_option_value_names_the_full_key_and_the_value()
    {
        var folder = TestPaths.InstallSamplePlugin(TestPaths.NewTempDir("plugins"));
        var (resolver, _) = Registry(folder);
        var range = Assert.Throws<ConfigurationException>(() => resolver.Create<BackboneModule>(PluginKind.Backbone,
            Section("model:arch:backbone", ("name", "TinyBackbone"), ("width", "0"))));
        Assert.Contains("model:arch:backbone:width", range.Message);
        Assert.Contains("(value: 0)", range.Message);

        var type = Assert.Throws<ConfigurationException>(() => resolver.Create<BackboneModule>(PluginKind.Backbone,
            Section("model:arch:backbone", ("name", "TinyBackbone"), ("width", "wide"))));
        Assert.Contains("model:arch:backbone:width", type.Message);
        Assert.Contains("'wide'", type.Message);
    }

    [Fact]
    public void Missing_plugin_folder_names_its_key()
    {
        var e = Assert.Throws<ConfigurationException>(() => Registry("/nonexistent/plugins"));
        Assert.StartsWith("plugins:paths:0: plugin folder not found", e.Message);
    }

    [Fact]
    public void Plugins_share_the_hosts_contract_assemblies()
    {
        var folder = TestPaths.InstallSamplePlugin(TestPaths.NewTempDir("plugins"));
        var (_, catalog) = Registry(folder);
        var type = catalog.Find(PluginKind.Backbone, "TinyBackbone")!.Type;
        Assert.True(typeof(IPluginFactory<BackboneModule>).IsAssignableFrom(type));
    }
}
