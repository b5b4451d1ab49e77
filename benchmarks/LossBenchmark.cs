using System.Diagnostics;
using System.Globalization;
using NanoDet.Abstractions.Geometry;
using NanoDet.Abstractions.Model;
using NanoDet.Heads.Assigners;
using NanoDet.Heads.Losses;
using NanoDet.Inference.Detections;
using NanoDet.Inference.Errors;
using NanoDet.Inference.Geometry;
using TorchSharp;
using static TorchSharp.torch;

namespace NanoDet.Benchmarks;

/// <summary>
/// Training-math cost per batch on CPU: one assigner call (one image), target construction for the batch
/// (B assigner calls), the full main + aux loss forward, and forward + backward into the predictions.
/// Random predictions, armor-sized objects (16–96 × 10–60 px), C = 36, four-point layout.
/// </summary>
public sealed class LossBenchmark : IBenchmark
{
    public string Name => "loss";

    public string Description => "assigner + NanoDetPlusLoss time per batch (--batch 32 --size 320 --gts 5 --threads N)";

    public int Run(IReadOnlyList<string> args)
    {
        int batch = Arg(args, "--batch", 32), size = Arg(args, "--size", 320), gts = Arg(args, "--gts", 5);
        int threads = Arg(args, "--threads", 0);
        if (threads > 0) set_num_threads(threads);
        var layout = new HeadLayout(36, 7, 4, [8, 16, 32, 64]);
        long n = layout.PriorCount(size, size);
        var gen = new Generator().manual_seed(1);
        var preds = randn([batch, n, layout.Channels], generator: gen).DetachFromDisposeScope();
        var aux = randn([batch, n, layout.Channels], generator: gen).DetachFromDisposeScope();
        var images = new List<ImageTargets>();
        for (int b = 0; b < batch; b++)
        {
            var xy = rand([gts, 2], generator: gen) * (size - 100);
            var wh = cat([rand([gts, 1], generator: gen) * 80 + 16, rand([gts, 1], generator: gen) * 50 + 10], 1);
            var boxes = cat([xy, xy + wh], 1);
            var x1 = boxes[.., 0..1]; var y1 = boxes[.., 1..2]; var x2 = boxes[.., 2..3]; var y2 = boxes[.., 3..4];
            var quad = cat([x1, y1, x1, y2, x2, y2, x2, y1], 1) + (rand([gts, 8], generator: gen) - 0.5f) * 4;
            images.Add(new ImageTargets(boxes.DetachFromDisposeScope(), randint(0, 36, [gts], generator: gen).DetachFromDisposeScope(),
                quad.DetachFromDisposeScope()));
        }
        var targets = new DetectionTargets(images, size, size);
        var loss = new NanoDetPlusLoss(layout, new DynamicSoftLabelAssigner(new AssignerOptions()));
        var priors = PriorGrid.Priors(size, size, layout.Strides).DetachFromDisposeScope();

        // One image's assigner inputs, decoded as the loss does.
        var one = aux[0];
        var dist = DistributionIntegral.Apply(one[.., 36..], 7) * priors[.., 2].unsqueeze(1);
        var boxes0 = DistanceCodec.DistanceToBox(priors[.., ..2], dist[.., ..4]).DetachFromDisposeScope();
        var points0 = DistanceCodec.DistanceToPoints(priors[.., ..2], dist[.., 4..]).DetachFromDisposeScope();
        var cls0 = one[.., ..36];
        var assigner = (DynamicSoftLabelAssigner)loss.Assigner;

        var assign = Time(() =>
        {
            using var s = NewDisposeScope();
            assigner.Assign(cls0, priors, boxes0, points0, images[0].Boxes, images[0].Labels, images[0].Points);
        }, warmup: 5, runs: 50);
        var build = Time(() => { using var s = NewDisposeScope(); loss.BuildTargets(aux, priors, targets); }, warmup: 2, runs: 10);
        int positives = 0;
        var forward = Time(() =>
        {
            using var s = NewDisposeScope();
            positives = loss.Compute(preds, aux, targets).NumPositives;
        }, warmup: 2, runs: 10);
        var backward = Time(() =>
        {
            using var s = NewDisposeScope();
            var p = preds.detach().requires_grad_();
            var a = aux.detach().requires_grad_();
            loss.Compute(p, a, targets).Total.backward();
        }, warmup: 2, runs: 10);

        var ci = CultureInfo.InvariantCulture;
        Console.WriteLine(string.Create(ci, $"batch {batch} at {size}×{size} ({n} priors), {gts} objects per image, C = 36, four-point; torch threads {get_num_threads()}; {positives} positives"));
        Console.WriteLine();
        Console.WriteLine("| step | wall median | wall min | CPU time median |");
        Console.WriteLine("|---|---|---|---|");
        Row("assigner, one image", assign);
        Row($"assignment + targets, {batch} images", build);
        Row("loss forward (main + aux)", forward);
        Row("loss forward + backward", backward);
        return 0;

        void Row(string what, (Measure.Timing Wall, double CpuMedianMs) t) =>
            Console.WriteLine(string.Create(ci, $"| {what} | {t.Wall.MedianMs:F2} ms | {t.Wall.MinMs:F2} ms | {t.CpuMedianMs:F2} ms |"));
    }

    /// <summary>
    /// Wall-clock timing plus the process CPU time per run: on a shared machine wall time includes waiting for a
    /// core, CPU time does not (it counts every thread, so with N torch threads it is up to N × wall).
    /// </summary>
    private static (Measure.Timing Wall, double CpuMedianMs) Time(Action action, int warmup, int runs)
    {
        var process = Process.GetCurrentProcess();
        var cpu = new List<double>(warmup + runs);
        var wall = Measure.Time(() =>
        {
            process.Refresh();
            var start = process.TotalProcessorTime;
            action();
            process.Refresh();
            cpu.Add((process.TotalProcessorTime - start).TotalMilliseconds);
        }, warmup, runs);
        var timed = cpu.Skip(warmup).Order().ToArray();    // Measure.Time runs the warm-up first
        return (wall, timed[timed.Length / 2]);
    }

    private static int Arg(IReadOnlyList<string> args, string name, int fallback)
    {
        for (int i = 0; i + 1 < args.Count; i++)
            if (args[i] == name) return int.Parse(args[i + 1], CultureInfo.InvariantCulture);
        return fallback;
    }
}
