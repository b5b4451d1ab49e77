using System.Diagnostics;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using NanoDet.Abstractions.Model;
using NanoDet.Compute.Layers;
using NanoDet.Compute.Runtime;
using NanoDet.Host.Configuration;
using NanoDet.Host.Plugins;
using NanoDet.Host.Runtime;
using NanoDet.Host.Training;
using NanoDet.Inference.Detections;
using NanoDet.Inference.Errors;
using NanoDet.Inference.Geometry;
using NanoDet.Training;
using static TorchSharp.torch;

namespace NanoDet.Benchmarks;

/// <summary>
/// Training throughput with the real pipeline: the configured dataset, augmentation, threaded loader, model,
/// assigner, losses, AdamW, clipping and EMA, exactly as <c>nanodet train</c> builds them (TrainingSessionBuilder),
/// timed per phase over N steps after a warm-up. Arguments: [--steps N] [--warmup N] [--profile P]
/// [--config FILE] [--set key=value ...] (default: the default profile with batch 32 at 320).
/// </summary>
public sealed class TrainBenchmark : IBenchmark
{
    public string Name => "train";

    public string Description => "training throughput (img/s) with the full pipeline, per-phase times; args: [--steps N] [--set k=v]";

    public int Run(IReadOnlyList<string> args)
    {
        int steps = 10, warmup = 2;
        string? profile = null, configFile = null;
        var sets = new List<string>();
        for (int i = 0; i < args.Count; i++)
        {
            switch (args[i])
            {
                case "--steps": steps = int.Parse(args[++i], System.Globalization.CultureInfo.InvariantCulture); break;
                case "--warmup": warmup = int.Parse(args[++i], System.Globalization.CultureInfo.InvariantCulture); break;
                case "--profile": profile = args[++i]; break;
                case "--config": configFile = args[++i]; break;
                case "--set": sets.Add(args[++i]); break;
                default: Console.Error.WriteLine($"unknown argument {args[i]}"); return 2;
            }
        }
        sets.Insert(0, $"save_dir={Path.Combine(Path.GetTempPath(), "nanodet-bench-train")}");
        TorchRuntime.EnsureLoaded();
        var config = NanoDetConfiguration.Build(new ConfigSources(AppContext.BaseDirectory, profile, configFile,
            new Dictionary<string, string?>(), sets));
        var resolver = BenchmarkHost.Resolver();
        using var session = new TrainingSessionBuilder(config, resolver, NullLogger.Instance).Build(null);
        var s = session;
        s.Model.train();
        bool withPoints = s.Model.Layout.NumPoints > 0;
        var phases = new Dictionary<string, double> { ["data wait"] = 0, ["forward"] = 0, ["loss"] = 0, ["backward"] = 0, ["clip+AdamW"] = 0, ["EMA"] = 0 };
        int images = 0, done = 0;
        var total = Stopwatch.StartNew();
        var sw = Stopwatch.StartNew();
        var e = s.TrainLoader.Batches(0).GetEnumerator();
        long step = 0;
        while (done < warmup + steps)
        {
            if (done == warmup)
            {
                foreach (var k in phases.Keys) phases[k] = 0;
                images = 0;
                total.Restart();
            }
            sw.Restart();
            if (!e.MoveNext())
            {
                e.Dispose();
                e = s.TrainLoader.Batches(1).GetEnumerator();
                e.MoveNext();
            }
            using var batch = e.Current;
            Lap("data wait");
            using var quiet = GcQuietRegion.Enter();
            using var scope = NewDisposeScope();
            s.LearningRate.Apply(s.Optimizer, step, 0);
            var targets = DetectionTargets.FromBatch(batch, s.Device, withPoints);
            var (preds, aux) = s.Model.ForwardTrain(batch.Images.to(s.Device));
            Lap("forward");
            var loss = s.Model.Loss(preds, aux, targets);
            _ = loss.Total.item<float>();
            Lap("loss");
            s.Optimizer.zero_grad();
            loss.Total.backward();
            Lap("backward");
            GradientClipper.ClipGlobalNorm(s.Model.parameters(), s.GradClip);
            s.Optimizer.step();
            Lap("clip+AdamW");
            s.Ema.Update(s.Model, ++step);
            Lap("EMA");
            images += batch.Count;
            done++;
        }
        e.Dispose();
        double seconds = total.Elapsed.TotalSeconds;
        var layout = s.Model.Layout;
        Console.WriteLine($"config: profile {profile ?? "default"}{(configFile is null ? "" : $", --config {configFile}")}, " +
                          $"sets: {string.Join(' ', sets.Skip(1))}");
        Console.WriteLine($"model: {s.Model.parameters().Sum(p => p.numel()):N0} training parameters, C = {layout.NumClasses}, " +
                          $"points = {layout.NumPoints}; batch {s.TrainBatchSize}; input {config["data:train:input_size:0"]}x{config["data:train:input_size:1"]}; " +
                          $"torch threads {get_num_threads()}; loader workers {config["device:workers_per_gpu"]}; load average {BenchmarkHost.LoadAverage()}");
        Console.WriteLine();
        Console.WriteLine($"| phase | ms per step | share |");
        Console.WriteLine("|---|---|---|");
        foreach (var (k, v) in phases)
            Console.WriteLine($"| {k} | {v * 1000 / steps:F0} | {v / seconds:P0} |");
        Console.WriteLine($"| **total** | {seconds * 1000 / steps:F0} | |");
        Console.WriteLine();
        Console.WriteLine($"throughput: {images / seconds:F1} images/s over {steps} steps ({images} images)");
        return 0;

        void Lap(string phase)
        {
            phases[phase] += sw.Elapsed.TotalSeconds;
            sw.Restart();
        }
    }
}
