using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using NanoDet.Abstractions.Model;
using NanoDet.Detectors;
using NanoDet.Host.Configuration;
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
/// CPU speed of the network built from configs/nanodet-plus-m_416-fourpoint.yml (four-point head, 36 classes):
/// inference forward at batch 1 (320 and 416, eval mode, no autograd) and one training step at batch 32, 320
/// (training forward with the aux branch, backward, AdamW step). The training loss here is a differentiable
/// surrogate (mean of squared outputs of both heads): the real NanoDet loss is not part of this benchmark.
/// </summary>
public sealed class NetworkBenchmark : IBenchmark
{
    public string Name => "network";

    public string Description => "inference latency (batch 1; 320, 416) and a training step (batch 32, 320) on CPU";

    public int Run(IReadOnlyList<string> args)
    {
        TorchRuntime.EnsureLoaded();
        int trainBatch = args.Count > 0 && int.TryParse(args[0], out var b) ? b : 32;
        var config = NanoDetConfiguration.Build(new ConfigSources(AppContext.BaseDirectory, null,
            BenchmarkHost.FourPointConfig, new Dictionary<string, string?>(), []));
        var resolver = BenchmarkHost.Resolver();
        manual_seed(0);
        using var model = DetectorBuilder.Build(config, resolver);

        Console.WriteLine($"model: NanoDetPlus 1.0x four-point, C = {model.Layout.NumClasses}, K = {model.Layout.Channels}, " +
                          $"{model.parameters().Sum(p => p.numel()):N0} parameters; torch threads: {get_num_threads()}; " +
                          $"load average at start: {BenchmarkHost.LoadAverage()}");
        Console.WriteLine();
        Console.WriteLine("| measurement | input | median | min | max | runs |");
        Console.WriteLine("|---|---|---|---|---|---|");

        model.eval();
        foreach (var size in new[] { 320, 416 })
        {
            using var x = randn(1, 3, size, size);
            var t = Measure.Time(() =>
            {
                using var scope = NewDisposeScope();
                using var _ = no_grad();
                model.forward(x);
            }, warmup: 5, runs: 30);
            Row($"inference forward (eval, no_grad)", $"1×3×{size}×{size}", t);
        }

        model.train();
        model.Epoch = 0; // before detach_epoch: aux gradients reach the backbone (the costlier case)
        using var optimizer = optim.AdamW(model.parameters(), lr: 1e-3, weight_decay: 0.05);
        using var batch = randn(trainBatch, 3, 320, 320);
        var step = Measure.Time(() =>
        {
            using var scope = NewDisposeScope();
            optimizer.zero_grad();
            var (preds, aux) = model.ForwardTrain(batch);
            var loss = preds.square().mean() + aux!.square().mean();
            loss.backward();
            optimizer.step();
        }, warmup: 1, runs: 5);
        Row("training step: forward_train + backward + AdamW (surrogate loss)", $"{trainBatch}×3×320×320", step);
        Console.WriteLine();
        Console.WriteLine("Surrogate loss: mean(preds²) + mean(aux²), standing in for QFL/DFL/GIoU + assignment, which this benchmark does not time.");
        return 0;
    }

    private static void Row(string what, string input, Measure.Timing t) =>
        Console.WriteLine($"| {what} | {input} | {t.MedianMs:F1} ms | {t.MinMs:F1} ms | {t.MaxMs:F1} ms | {t.Runs} |");
}
