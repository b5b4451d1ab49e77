using System.Globalization;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using NanoDet.Abstractions.Model;
using NanoDet.Abstractions.Plugins;
using NanoDet.Detectors;
using NanoDet.Host.Model;
using NanoDet.Host.Plugins;
using NanoDet.Inference.Detections;
using NanoDet.Inference.Errors;
using NanoDet.Inference.Geometry;

namespace NanoDet.Host.Tests.Model;

/// <summary>In-memory NanoDet-Plus configs (the keys of configs/nanodet-plus-m_416-fourpoint.yml) and a built-in registry.</summary>
internal static class ModelConfig
{
    private static readonly Lazy<IPluginResolver> SharedResolver = new(() =>
    {
        var services = new ServiceCollection();
        var catalog = PluginCatalog.Register(services, PluginCatalog.LoadAssemblies([], i => $"plugins:paths:{i}"));
        return new PluginResolver(services.BuildServiceProvider(), catalog, NullLoggerFactory.Instance);
    });

    public static IPluginResolver Resolver => SharedResolver.Value;

    /// <summary>nanodet-plus-m (1.0x: PAN 96, aux 192; 1.5x: PAN 128, aux 256) with C classes and the given points.</summary>
    public static Dictionary<string, string?> PlusM(string size = "1.0x", int classes = 80, int points = 0)
    {
        var inCh = size switch { "1.0x" => "116,232,464", "1.5x" => "176,352,704", "0.5x" => "48,96,192", _ => throw new ArgumentException(size) };
        int pan = size == "1.5x" ? 128 : 96;
        var d = new Dictionary<string, string?>
        {
            ["model:arch:name"] = "NanoDetPlus",
            ["model:arch:detach_epoch"] = "10",
            ["model:arch:backbone:name"] = "ShuffleNetV2",
            ["model:arch:backbone:model_size"] = size,
            ["model:arch:backbone:activation"] = "LeakyReLU",
            ["model:arch:backbone:pretrain"] = "false",
            ["model:arch:fpn:name"] = "GhostPAN",
            ["model:arch:fpn:out_channels"] = S(pan),
            ["model:arch:fpn:kernel_size"] = "5",
            ["model:arch:fpn:num_extra_level"] = "1",
            ["model:arch:fpn:use_depthwise"] = "true",
            ["model:arch:fpn:activation"] = "LeakyReLU",
            ["model:arch:head:name"] = "NanoDetPlusHead",
            ["model:arch:head:num_classes"] = S(classes),
            ["model:arch:head:input_channel"] = S(pan),
            ["model:arch:head:feat_channels"] = S(pan),
            ["model:arch:head:stacked_convs"] = "2",
            ["model:arch:head:kernel_size"] = "5",
            ["model:arch:head:activation"] = "LeakyReLU",
            ["model:arch:head:reg_max"] = "7",
            ["model:arch:head:num_points"] = S(points),
            ["model:arch:head:norm_cfg:type"] = "BN",
            ["model:arch:aux_head:name"] = "SimpleConvHead",
            ["model:arch:aux_head:num_classes"] = S(classes),
            ["model:arch:aux_head:input_channel"] = S(2 * pan),
            ["model:arch:aux_head:feat_channels"] = S(2 * pan),
            ["model:arch:aux_head:stacked_convs"] = "4",
            ["model:arch:aux_head:activation"] = "LeakyReLU",
            ["model:arch:aux_head:reg_max"] = "7",
            ["model:arch:aux_head:num_points"] = S(points),
        };
        var ins = inCh.Split(',');
        for (int i = 0; i < ins.Length; i++) d[$"model:arch:fpn:in_channels:{i}"] = ins[i];
        foreach (var (i, s) in new[] { 8, 16, 32, 64 }.Index())
        {
            d[$"model:arch:head:strides:{i}"] = S(s);
            d[$"model:arch:aux_head:strides:{i}"] = S(s);
        }
        return d;
    }

    /// <summary>A tiny NanoDet-Plus (0.5x, PAN 32, aux 64 wide and 2 deep) for fast gradient tests.</summary>
    public static Dictionary<string, string?> Tiny(int classes = 3, int points = 4)
    {
        var d = PlusM("0.5x", classes, points);
        d["model:arch:fpn:out_channels"] = "32";
        d["model:arch:head:input_channel"] = "32";
        d["model:arch:head:feat_channels"] = "32";
        d["model:arch:aux_head:input_channel"] = "64";
        d["model:arch:aux_head:feat_channels"] = "64";
        d["model:arch:aux_head:stacked_convs"] = "2";
        return d;
    }

    public static IConfiguration Build(Dictionary<string, string?> values) =>
        new ConfigurationBuilder().AddInMemoryCollection(values).Build();

    public static DetectorModule Detector(Dictionary<string, string?> values) =>
        DetectorBuilder.Build(Build(values), Resolver);

    private static string S(int v) => v.ToString(CultureInfo.InvariantCulture);
}
