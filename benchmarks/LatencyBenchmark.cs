using System.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using NanoDet.Export;
using NanoDet.Host.Configuration;
using NanoDet.Host.Export;
using NanoDet.Host.Inference;
using NanoDet.Host.Model;
using NanoDet.Host.Plugins;
using NanoDet.Host.Runtime;
using NanoDet.Inference.Runtime;
using static TorchSharp.torch;

namespace NanoDet.Benchmarks;

/// <summary>
/// Network latency per inference backend at batch 1 (320 and 416), for the default four-point profile
/// (appsettings.json: ShuffleNetV2 0.5x, PAN 64) and NanoDet-Plus-m 1.0x four-point
/// (configs/nanodet-plus-m_416-fourpoint.yml), with the model's FLOPs (2 × conv MACs, counted on the exported graph)
/// and the machine's measured float32 matrix-multiply rate, so the distance to the hardware limit is visible.
/// Only the backend call is timed (same input tensor for all three); pre- and post-processing are not.
/// </summary>
public sealed class LatencyBenchmark : IBenchmark
{
    public string Name => "latency";

    public string Description => "batch-1 latency of torch / onnxruntime / opencv at 320 and 416, with FLOPs and the CPU's GEMM rate [runs] [torch threads]";

    public int Run(IReadOnlyList<string> args)
    {
        TorchRuntime.EnsureLoaded();
        int runs = BenchmarkHost.RunsAndThreads(args, 30);
        var resolver = BenchmarkHost.Resolver();
        var models = BenchmarkHost.ReferenceModels;

        double gemm = GemmGflops();
        Console.WriteLine($"load average at start: {BenchmarkHost.LoadAverage()}; torch threads {get_num_threads()}; " +
                          $"float32 GEMM (torch, 1024³): {gemm:F1} GFLOP/s — the practical ceiling used below");
        Console.WriteLine();
        Console.WriteLine("| model | input | FLOPs | backend | median | min | max | achieved | of GEMM rate |");
        Console.WriteLine("|---|---|---|---|---|---|---|---|---|");
        var dir = Path.Combine(Path.GetTempPath(), $"nanodet-latency-{Environment.ProcessId}");
        Directory.CreateDirectory(dir);
        try
        {
            foreach (var (name, configFile) in models)
            {
                var config = NanoDetConfiguration.Build(new ConfigSources(AppContext.BaseDirectory, null, configFile,
                    new Dictionary<string, string?>(), []));
                manual_seed(0);
                using var model = DetectorBuilder.Build(config, resolver);
                model.eval();
                int decodedChannels = model.Layout.NumClasses + 4 + 2 * model.Layout.NumPoints;
                foreach (var size in new[] { 320, 416 })
                {
                    var path = Path.Combine(dir, $"m{size}.onnx");
                    var export = OnnxExporter.Export(model, new OnnxExportOptions(size, size));
                    OnnxExporter.Write(export, path);
                    var g = new Generator(1);
                    using var x = randn([1, 3, size, size], generator: g);
                    var input = x.data<float>().ToArray();
                    // The torch backend three ways: its default (the fused CPU kernels), the forward compiled into one
                    // TorchScript function on libtorch's kernels, and module by module.
                    IInferenceBackend[] backends =
                    [
                        new TorchBackend(model, CPU), new TorchBackend(model, CPU, forward: TorchForward.TorchScript),
                        new TorchBackend(model, CPU, forward: TorchForward.Module),
                        new OnnxRuntimeBackend(path, decodedChannels, threads: get_num_threads()), new OpenCvDnnBackend(path, decodedChannels),
                    ];

                    try
                    {
                        // Backends take turns in blocks of ten runs, so load changes on a shared machine hit all alike while
                        // each block sees what a program running one backend sees: its own weights in the caches (one
                        // run of each backend in turn let each evict the others' and cost the torch backend 1.5 ms).
                        // The first run of a block refills the caches and is not timed.
                        foreach (var backend in backends)
                            for (int w = 0; w < 5; w++) backend.Run(input, 1, size, size);
                        string[] labels = [$"torch ({((TorchBackend)backends[0]).Mode})", $"torch ({((TorchBackend)backends[1]).Mode})", "torch (module by module)", backends[3].Name, backends[4].Name];
                        var times = backends.Select(_ => new List<double>()).ToArray();
                        const int block = 10;
                        for (int done = 0; done < runs; done += block)
                        {
                            for (int k = 0; k < backends.Length; k++)
                            {
                                backends[k].Run(input, 1, size, size);
                                for (int i = done; i < Math.Min(runs, done + block); i++)
                                {
                                    var watch = Stopwatch.StartNew();
                                    backends[k].Run(input, 1, size, size);
                                    times[k].Add(watch.Elapsed.TotalMilliseconds);
                                }
                            }
                        }
                        for (int k = 0; k < backends.Length; k++)
                        {
                            var t = times[k].Order().ToArray();
                            double median = t[t.Length / 2], achieved = export.GigaFlops / (median / 1000);
                            Console.WriteLine($"| {name} | {size}×{size} | {export.GigaFlops:F3} G | {labels[k]} | {median:F2} ms | {t[0]:F2} ms | {t[^1]:F2} ms | {achieved:F1} GFLOP/s | {100 * achieved / gemm:F0} % |");
                        }
                    }
                    finally
                    {
                        foreach (var backend in backends) backend.Dispose();
                    }
                }
            }
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
        Console.WriteLine();
        Console.WriteLine($"load average at end: {BenchmarkHost.LoadAverage()}");
        return 0;
    }

    /// <summary>Sustained float32 GEMM rate through torch (the same BLAS the torch backend uses): 2·n³ per product.</summary>
    private static double GemmGflops()
    {
        const int n = 1024;
        using var a = randn(n, n);
        using var b = randn(n, n);
        for (int i = 0; i < 3; i++) a.matmul(b).Dispose();
        var watch = Stopwatch.StartNew();
        int reps = 0;
        while (watch.Elapsed.TotalSeconds < 2 || reps < 5)
        {
            a.matmul(b).Dispose();
            reps++;
        }
        return 2.0 * n * n * n * reps / watch.Elapsed.TotalSeconds / 1e9;
    }
}
