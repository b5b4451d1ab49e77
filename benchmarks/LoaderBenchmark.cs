using System.Diagnostics;
using System.Globalization;
using Microsoft.Extensions.Logging.Abstractions;
using NanoDet.Abstractions.Data;
using NanoDet.Datasets.Coco;
using NanoDet.Datasets.Common;
using NanoDet.Datasets.Loading;
using NanoDet.Datasets.Pipeline;
using NanoDet.Datasets.Synthetic;
using NanoDet.Inference.Errors;
using NanoDet.Inference.Geometry;

namespace NanoDet.Benchmarks;

/// <summary>
/// Images per second through the whole data path (JPEG decode, composed warp, colour augmentation, normalise,
/// collate into a tensor) with the default training augmentation, at input 320 and 416, for several worker counts.
/// Usage: <c>loader [--images N] [--source WxH] [--workers 0,1,2] [--batch B]</c>.
/// </summary>
public sealed class LoaderBenchmark : IBenchmark
{
    public string Name => "loader";

    public string Description => "data loading images/s (decode + augment + collate) at 320 and 416";

    public int Run(IReadOnlyList<string> args)
    {
        int images = Arg(args, "--images", 256);
        int batch = Arg(args, "--batch", 32);
        var source = (Value(args, "--source") ?? "400x320").Split('x');
        int sw = int.Parse(source[0], CultureInfo.InvariantCulture), sh = int.Parse(source[1], CultureInfo.InvariantCulture);
        var workers = (Value(args, "--workers") ?? "0,1,2").Split(',').Select(w => int.Parse(w, CultureInfo.InvariantCulture)).ToArray();

        var dir = Path.Combine(Path.GetTempPath(), $"nanodet-bench-loader-{images}-{sw}x{sh}");
        var settings = ArmorGeneratorSettings.From(new SyntheticArmorOptions { Count = images, ImageSize = [sw, sh], Split = "bench" }, "bench");
        if (!SyntheticGenerator.IsComplete(dir))
        {
            var t = Stopwatch.StartNew();
            SyntheticGenerator.Generate(settings, dir, 0, NullLogger.Instance);
            Console.WriteLine($"generated {images} synthetic {sw}x{sh} images in {t.Elapsed.TotalSeconds:F1} s " +
                              $"({images / t.Elapsed.TotalSeconds:F0} images/s on {Environment.ProcessorCount} cores)");
        }
        var ds = CocoDataset.Load("bench", Path.Combine(dir, "images"), Path.Combine(dir, "annotations.json"), settings.ClassNames,
            PointOrder.Canonical, new ObjectRules(), false, NullLogger.Instance);

        var augment = new PipelineSettings
        {
            Scale = [0.6, 1.4],
            Stretch = [[0.9, 1.1], [0.9, 1.1]],
            Translate = 0.2,
            Flip = 0,
            Brightness = 0.2,
            Contrast = [0.8, 1.2],
            Saturation = [0.8, 1.2],
        };
        Console.WriteLine();
        Console.WriteLine($"{images} images {sw}x{sh} JPEG, batch {batch}, default training augmentation; one warm-up epoch, then the median of 3 epochs");
        Console.WriteLine();
        Console.WriteLine("| input | workers | images/s | ms/batch |");
        Console.WriteLine("|---|---|---|---|");
        foreach (var size in new[] { 320, 416 })
        {
            var pipeline = new NanoDetSamplePipeline(new InputSpec(size, size, false), augment);
            foreach (var w in workers)
            {
                var loader = new ThreadedBatchLoader().Create(ds, pipeline, new BatchLoaderSettings(batch, w, true, true, true, 0, Prefetch: 2));
                Epoch(loader, 0);
                var times = Enumerable.Range(1, 3).Select(e => Epoch(loader, e)).Order().ToArray();
                double s = times[1];
                int n = loader.BatchesPerEpoch * batch;
                Console.WriteLine($"| {size} | {w} | {n / s:F0} | {1000 * s / loader.BatchesPerEpoch:F1} |");
            }
        }
        return 0;
    }

    private static double Epoch(IBatchLoader loader, int epoch)
    {
        var t = Stopwatch.StartNew();
        foreach (var b in loader.Batches(epoch)) b.Dispose();
        return t.Elapsed.TotalSeconds;
    }

    private static string? Value(IReadOnlyList<string> args, string name)
    {
        for (int i = 0; i + 1 < args.Count; i++) if (args[i] == name) return args[i + 1];
        return null;
    }

    private static int Arg(IReadOnlyList<string> args, string name, int fallback) =>
        Value(args, name) is { } v ? int.Parse(v, CultureInfo.InvariantCulture) : fallback;
}
