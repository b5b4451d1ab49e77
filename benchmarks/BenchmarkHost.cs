using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using NanoDet.Host.Plugins;
using TorchSharp;

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

    /// <summary>The two models the inference benchmarks compare: the default profile and nanodet-plus-m 1.0x four-point.</summary>
    public static (string Name, string? ConfigFile)[] ReferenceModels =>
    [
        ("default profile (0.5x, PAN 64, kernel 3, C=10)", null),
        ("nanodet-plus-m 1.0x four-point (C=36)", FourPointConfig),
    ];

    /// <summary>
    /// The common arguments of the batch-1 benchmarks: timed runs (first argument, default <paramref name="defaultRuns"/>)
    /// and torch intra-op threads (second, applied here; default: TorchSharp's, one per core). On a loaded machine one
    /// thread avoids OpenMP barrier stalls when a worker is descheduled.
    /// </summary>
    public static int RunsAndThreads(IReadOnlyList<string> args, int defaultRuns)
    {
        if (args.Count > 1 && int.TryParse(args[1], out var threads)) torch.set_num_threads(threads);
        return args.Count > 0 && int.TryParse(args[0], out var runs) ? runs : defaultRuns;
    }

    /// <summary>The 1, 5 and 15-minute load averages: timings on a shared machine mean little without them.</summary>
    public static string LoadAverage()
    {
        try { return string.Join(" ", File.ReadAllText("/proc/loadavg").Split(' ').Take(3)); }
        catch (IOException) { return "n/a"; }
    }
}
