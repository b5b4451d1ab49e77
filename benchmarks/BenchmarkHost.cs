using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using NanoDet.Host.Plugins;

namespace NanoDet.Benchmarks;

/// <summary>What every model benchmark sets up the same way: the built-in plugins, the reference config, the load.</summary>
internal static class BenchmarkHost
{
    /// <summary>The nanodet-plus-m 1.0x four-point configuration deployed beside the benchmarks.</summary>
    public static string FourPointConfig => Path.Combine(AppContext.BaseDirectory, "configs", "nanodet-plus-m_416-fourpoint.yml");

    /// <summary>A resolver over the built-in plugin assemblies (no plugin folders), as the host registers them.</summary>
    public static PluginResolver Resolver()
    {
        var services = new ServiceCollection();
        var catalog = PluginCatalog.Register(services, PluginCatalog.LoadAssemblies([], i => $"plugins:paths:{i}"));
        return new PluginResolver(services.BuildServiceProvider(), catalog, NullLoggerFactory.Instance);
    }

    /// <summary>The 1, 5 and 15-minute load averages: timings on a shared machine mean little without them.</summary>
    public static string LoadAverage()
    {
        try { return string.Join(" ", File.ReadAllText("/proc/loadavg").Split(' ').Take(3)); }
        catch (IOException) { return "n/a"; }
    }
}
