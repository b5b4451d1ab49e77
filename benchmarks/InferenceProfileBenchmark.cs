using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using NanoDet.Abstractions.Model;
using NanoDet.Compute.Fused;
using NanoDet.Compute.Kernels;
using NanoDet.Compute.Layers;
using NanoDet.Compute.Runtime;
using NanoDet.Detectors;
using NanoDet.Export;
using NanoDet.Host.Configuration;
using NanoDet.Host.Inference;
using NanoDet.Host.Model;
using NanoDet.Host.Plugins;
using NanoDet.Host.Runtime;
using NanoDet.Inference.Detections;
using NanoDet.Inference.Errors;
using NanoDet.Inference.Geometry;
using TorchSharp;
using static TorchSharp.torch;

namespace NanoDet.Benchmarks;

/// <summary>
/// Where the batch-1 TorchSharp inference time goes: the whole backend call, the GC region it enters, the model's
/// forward under no_grad and inference_mode, the same forward compiled into one TorchScript function and on the fused CPU
/// kernels (with each fused operation kind timed alone), the three parts of the network (backbone, neck, head) on their own, the
/// same forward with autograd on (every layer unfused, as before the inference shortcuts), and the convolutions alone
/// (every call shape one forward runs, counted by the selector, timed with its chosen kernel on random data). Default
/// profile and nanodet-plus-m 1.0x four-point at 320×320 (docs/kernels.md, "Inference at batch 1").
/// </summary>
public sealed class InferenceProfileBenchmark : IBenchmark
{
    public string Name => "infer-profile";

    public string Description => "batch-1 TorchSharp inference broken down (GC region, copies, forward, compiled forward, backbone/neck/head, unfused, convolutions) [runs] [threads] [key=value config overrides]";

    public int Run(IReadOnlyList<string> args)
    {
        TorchRuntime.EnsureLoaded();
        int runs = BenchmarkHost.RunsAndThreads(args, 30);
        var resolver = BenchmarkHost.Resolver();
        var models = BenchmarkHost.ReferenceModels;
        Console.WriteLine($"torch threads {get_num_threads()}; load average {BenchmarkHost.LoadAverage()}");
        Console.WriteLine();
        Console.WriteLine("| model | measurement | median | min | max |");
        Console.WriteLine("|---|---|---|---|---|");
        const int size = 320;
        foreach (var (name, configFile) in models)
        {
            var config = NanoDetConfiguration.Build(new ConfigSources(AppContext.BaseDirectory, null, configFile,
                new Dictionary<string, string?>(), args.Skip(2).ToList()));
            manual_seed(0);
            using var model = DetectorBuilder.Build(config, resolver);
            model.eval();
            var plus = (NanoDetPlus)model;
            // Weights that carry the input to the output (as the tests use), so the fused plan's check against the module forward means something.
            using (var _ = no_grad())
            using (var perturb = NewDisposeScope())
            {
                var g = new Generator(7);
                foreach (var (_, p) in model.named_parameters()) p.add_(randn(p.shape, generator: g) * 0.05);
            }
            using var x = randn([1, 3, size, size], generator: new Generator(1));
            var input = x.data<float>().ToArray();
            using var backend = new TorchBackend(model, CPU, forward: TorchForward.Module);
            void Row(string what, Action action)
            {
                var t = Measure.Time(action, warmup: 5, runs: runs);
                Console.WriteLine($"| {name} | {what} | {t.MedianMs:F2} ms | {t.MinMs:F2} ms | {t.MaxMs:F2} ms |");
            }

            // The default backend first, before anything else runs the fused code: its first call builds the plan
            // (untimed), the next twenty show whether a hot method still runs unoptimised until .NET's tiered
            // compilation promotes it (for the first model; later ones meet code already compiled).
            using var fusedBackend = new TorchBackend(model, CPU);
            fusedBackend.Run(input, 1, size, size);
            var early = Measure.Time(() => fusedBackend.Run(input, 1, size, size), warmup: 0, runs: 20);
            Console.WriteLine($"| {name} | TorchBackend.Run by default (fused kernels), its 20 calls after the plan's build | {early.MedianMs:F2} ms | {early.MinMs:F2} ms | {early.MaxMs:F2} ms |");

            // The backend call with and without its GC region, taking turns so load changes hit both alike.
            var withRegion = new List<double>();
            var withoutRegion = new List<double>();
            for (int i = 0; i < runs + 5; i++)
            {
                var watch = System.Diagnostics.Stopwatch.StartNew();
                backend.Run(input, 1, size, size);
                var a = watch.Elapsed.TotalMilliseconds;
                watch.Restart();
                using (var scope = NewDisposeScope())
                using (var _ = no_grad())
                    TensorArrays.ToFloatArray(model.forward(from_array(input).view(1, 3, size, size)));
                var b = watch.Elapsed.TotalMilliseconds;
                if (i < 5) continue;
                withRegion.Add(a);
                withoutRegion.Add(b);
            }
            foreach (var (what, list) in new[] { ("TorchBackend.Run module by module (GC region, input, forward, output copy)", withRegion), ("the same without the GC region", withoutRegion) })
            {
                var sorted = list.Order().ToArray();
                Console.WriteLine($"| {name} | {what} | {sorted[sorted.Length / 2]:F2} ms | {sorted[0]:F2} ms | {sorted[^1]:F2} ms |");
            }
            Row("GcQuietRegion enter + exit alone", () => { using var q = GcQuietRegion.Enter(); });
            Row("TorchBackend.Run by default, later calls (fused kernels: input copy, program, new output array)", () => fusedBackend.Run(input, 1, size, size));
            Row("model.forward, no_grad", () =>
            {
                using var scope = NewDisposeScope();
                using var _ = no_grad();
                model.forward(x);
            });
            Row("model.forward, inference_mode", () =>
            {
                using var scope = NewDisposeScope();
                using var _ = inference_mode();
                model.forward(x);
            });
            using (var plan = TorchScriptPlan.Build(model, x, ConvKernelSelector.Shared))
            {
                Row("the same forward compiled into one TorchScript function", () =>
                {
                    using var scope = NewDisposeScope();
                    using var _ = no_grad();
                    plan.Run(x);
                });
            }
            using (var fused = FusedPlan.Build(model, x, threads: get_num_threads()))
            {
                Row($"the same forward on the fused CPU kernels ({fused.Program.Ops.Count} operations, {fused.Program.Bytes >> 20} MiB of buffers; the torch backend's default)",
                    () => fused.Run(input));
                // Each operation timed alone on one thread (after the runs above, so every method is fully compiled), grouped by kind.
                var opTimes = fused.Program.ProfileOps(input, runs);
                var kinds = fused.Program.Ops.Select((o, i) => (Kind: o is FusedOps.Conv c ? $"fused {c.Kind} convolutions" : "fused " + o.Describe().Split(' ')[0], Ms: opTimes[i],
                        Flops: (o as FusedOps.Conv)?.Flops ?? 0))
                    .GroupBy(t => t.Kind).OrderByDescending(g => g.Sum(t => t.Ms));
                foreach (var kind in kinds)
                {
                    double ms = kind.Sum(t => t.Ms), flops = kind.Sum(t => (double)t.Flops);
                    Console.WriteLine($"| {name} | {kind.Key} ×{kind.Count()}{(flops > 0 ? $" ({flops / ms / 1e6:F0} GFLOP/s)" : "")} | {ms:F2} ms | | |");
                }
            }
            // The parts alone see what they see inside the detector's inference forward: a channels-last input.
            using var xl = MemoryLayout.ToChannelsLast(x);
            Tensor[] feats, pan;
            using (var _ = no_grad())
            {
                feats = plus.Backbone.forward(xl);
                pan = plus.Fpn.forward(feats);
            }
            Row("backbone", () =>
            {
                using var scope = NewDisposeScope();
                using var _ = no_grad();
                plus.Backbone.forward(xl);
            });
            Row("neck", () =>
            {
                using var scope = NewDisposeScope();
                using var _ = no_grad();
                plus.Fpn.forward(feats);
            });
            Row("head", () =>
            {
                using var scope = NewDisposeScope();
                using var _ = no_grad();
                plus.Head.forward(pan);
            });

            // The same forward with autograd on: every layer runs unfused (no BatchNorm folding, activations not in
            // place, NCHW max-pool), as before the inference shortcuts; the gradient bookkeeping adds a little.
            Row("model.forward, autograd on (layers unfused)", () =>
            {
                using var scope = NewDisposeScope();
                model.forward(x);
            });
            // The convolutions alone: the call shapes one forward runs (counted by the selector), each timed with its
            // chosen kernel on random data of that shape and layout.
            var selector = ConvKernelSelector.Shared;
            var before = selector.UseCounts();
            using (var scope = NewDisposeScope())
            using (var _ = no_grad())
                model.forward(x);
            var perForward = selector.UseCounts()
                .Select(kv => (Call: kv.Key, Count: kv.Value - before.GetValueOrDefault(kv.Key)))
                .Where(c => c.Count > 0).ToList();
            double convMs = 0;
            var byKind = new Dictionary<string, (double Ms, long Count)>();
            foreach (var (call, count) in perForward)
            {
                var g = call.Geometry;
                using var scope = NewDisposeScope();
                using var _ = no_grad();
                var cx = randn(call.Batch, g.InChannels, call.Height, call.Width);
                if (call.ChannelsLast) cx = MemoryLayout.ToChannelsLast(cx);
                var cw = randn(g.OutChannels, g.InChannels / g.Groups, g.KernelH, g.KernelW);
                var cb = g.HasBias ? randn(g.OutChannels) : null;
                var kernel = selector.KernelFor(call);
                var t = Measure.Time(() => { using var s = NewDisposeScope(); kernel.Forward(cx, cw, cb, g); }, warmup: 3, runs: 15);
                convMs += t.MedianMs * count;
                var kind = g.IsDepthwise ? "depthwise" : g.IsPointwise ? "1×1" : $"{g.KernelH}×{g.KernelW} dense";
                var (ms, n) = byKind.GetValueOrDefault(kind);
                byKind[kind] = (ms + t.MedianMs * count, n + count);
            }
            Console.WriteLine($"| {name} | convolutions alone ({perForward.Sum(c => c.Count)} calls, {perForward.Count} shapes; " +
                              string.Join(", ", byKind.OrderByDescending(k => k.Value.Ms).Select(k => $"{k.Key} ×{k.Value.Count} {k.Value.Ms:F2} ms")) +
                              $") | {convMs:F2} ms | | |");

            var convs = model.modules().OfType<AdaptiveConv2d>().ToList();
            int norms = model.modules().OfType<TorchSharp.Modules.BatchNorm2d>().Count();
            var calls = ConvKernelSelector.Shared.ChoicesInUse.Where(c => c.CallKey.EndsWith("|infer", StringComparison.Ordinal) && c.CallKey.Contains("|1x", StringComparison.Ordinal)).ToList();
            Console.WriteLine($"| {name} | {convs.Count} convolutions (inference path incl. aux parts not run), {norms} BatchNorm2d; kernels of the batch-1 inference calls: " +
                              string.Join(", ", calls.GroupBy(c => c.Kernel).OrderBy(g => g.Key).Select(g => $"{g.Key} {g.Count()}")) + " | | | |");
            foreach (var t in feats.Concat(pan)) t.Dispose();
            Console.WriteLine();
        }
        return 0;
    }
}
