using System.Diagnostics;
using System.Text.Json;
using NanoDet.Abstractions.Data;
using NanoDet.Abstractions.Evaluation;
using NanoDet.Abstractions.Model;
using NanoDet.Evaluators;
using NanoDet.Inference.Detections;
using NanoDet.Inference.Errors;
using NanoDet.Inference.Geometry;

namespace NanoDet.Benchmarks;

/// <summary>
/// The COCO evaluator on a COCO-val-sized synthetic set: 5,000 images × 100 detections (80 classes, ~7.5
/// ground-truth objects per image, every object with corners), deterministic. Times the in-process evaluation a
/// validation epoch runs (with and without corners), reading the same data from COCO JSON files, and the plots.
/// </summary>
public sealed class EvalBenchmark : IBenchmark
{
    public string Name => "eval";

    public string Description => "COCO evaluator: 5,000 images x 100 detections (args: [images] [detections per image] [--keep DIR])";

    public int Run(IReadOnlyList<string> args)
    {
        int keepAt = args.ToList().IndexOf("--keep");
        string? keep = keepAt >= 0 && keepAt + 1 < args.Count ? Path.GetFullPath(args[keepAt + 1]) : null;
        var numbers = args.Where((_, i) => keepAt < 0 || (i != keepAt && i != keepAt + 1)).ToArray();
        int images = numbers.Length > 0 ? int.Parse(numbers[0], System.Globalization.CultureInfo.InvariantCulture) : 5000;
        int perImage = numbers.Length > 1 ? int.Parse(numbers[1], System.Globalization.CultureInfo.InvariantCulture) : 100;
        var withCorners = Synthesize(images, perImage, seed: 7);
        var boxesOnly = withCorners with
        {
            Images = withCorners.Images.Select(i => i with { Annotations = i.Annotations.Select(a => a with { Points = null }).ToArray() }).ToArray(),
            Detections = withCorners.Detections.Select(d => d with { Detection = d.Detection with { Points = null } }).ToArray(),
        };
        var evaluator = new CocoDetectionEvaluator();
        Console.WriteLine($"{images} images, {withCorners.Detections.Count} detections, {withCorners.Images.Sum(i => i.Annotations.Count)} ground-truth objects, {withCorners.Classes.Count} classes");

        EvaluationReport? report = null;
        var full = Measure.Time(() => report = evaluator.Evaluate(withCorners, null), warmup: 1, runs: 5);
        var boxes = Measure.Time(() => evaluator.Evaluate(boxesOnly, null), warmup: 1, runs: 5);

        // --keep DIR leaves gt.json / dt.json there (e.g. to time another evaluator on the same files).
        var dir = keep ?? Path.Combine(Path.GetTempPath(), $"nanodet-eval-bench-{Environment.ProcessId}");
        Directory.CreateDirectory(dir);
        try
        {
            string gt = Path.Combine(dir, "gt.json"), dt = Path.Combine(dir, "dt.json");
            WriteGroundTruth(gt, withCorners);
            CocoResultsWriter.Write(dt, withCorners.Detections.Select(d => CocoResultRecord.From(d.ImageId, d.Detection, withCorners.Classes)));
            var read = Measure.Time(() => evaluator.ReadCocoFiles(gt, dt), warmup: 1, runs: 5);
            var plotDir = Path.Combine(dir, "plots");
            var sw = Stopwatch.StartNew();
            var plotted = evaluator.Evaluate(withCorners, plotDir);
            double plotsMs = sw.Elapsed.TotalMilliseconds - full.MedianMs;

            Console.WriteLine();
            Console.WriteLine("| step | time |");
            Console.WriteLine("|---|---|");
            Console.WriteLine($"| Evaluate: COCO bbox + corner metrics + quad AP | {full} |");
            Console.WriteLine($"| Evaluate: COCO bbox only (no corners in the data) | {boxes} |");
            Console.WriteLine($"| ReadCocoFiles: {new FileInfo(gt).Length / 1e6:F1} MB GT + {new FileInfo(dt).Length / 1e6:F1} MB results JSON | {read} |");
            Console.WriteLine($"| plots ({plotted.Files.Count} PNG files), one run | {plotsMs:F0} ms |");
            Console.WriteLine();
            Console.WriteLine($"mAP {report!.Metrics["mAP"]:F4}, AP_50 {report.Metrics["AP_50"]:F4}, quad_mAP {report.Metrics["quad_mAP"]:F4}, corner pairs {report.Metrics["corner_matches"]}");
            var fromFiles = evaluator.Evaluate(evaluator.ReadCocoFiles(gt, dt), null);
            Console.WriteLine("stats from the JSON files: " + string.Join(" ", CocoDetectionEvaluator.CocoStatNames.Select(n => fromFiles.Metrics[n].ToString("R", System.Globalization.CultureInfo.InvariantCulture))));
        }
        finally
        {
            if (keep is null) Directory.Delete(dir, recursive: true);
        }
        return 0;
    }

    /// <summary>Deterministic data: each image gets 0–15 objects; each object 1–3 jittered detections; random boxes fill up to <paramref name="perImage"/>.</summary>
    private static EvaluationInput Synthesize(int imageCount, int perImage, int seed)
    {
        var rng = new Random(seed);
        const int classes = 80;
        var images = new List<ImageRecord>(imageCount);
        var detections = new List<ImageDetection>(imageCount * perImage);
        for (int i = 0; i < imageCount; i++)
        {
            int id = i + 1;
            var anns = new List<Annotation>();
            int n = rng.Next(0, 16);
            int dets = 0;
            for (int j = 0; j < n; j++)
            {
                float w = (float)Math.Exp(rng.NextDouble() * Math.Log(400) + Math.Log(4)), h = w * (float)Math.Exp(rng.NextDouble() - 0.5);
                float x = (float)rng.NextDouble() * (640 - Math.Min(w, 600)), y = (float)rng.NextDouble() * (480 - Math.Min(h, 460));
                var box = new Box(x, y, x + w, y + h);
                int label = rng.Next(classes);
                bool crowd = rng.NextDouble() < 0.01;
                var quad = Plate(box, rng, 0.1f);
                anns.Add(new Annotation(label, box, crowd ? null : quad, crowd));
                int copies = rng.Next(1, 4);
                for (int c = 0; c < copies && dets < perImage; c++, dets++)
                {
                    float q = (float)rng.NextDouble() * 0.3f;
                    var jb = new Box(box.X1 + Noise(rng, q * w), box.Y1 + Noise(rng, q * h), box.X2 + Noise(rng, q * w), box.Y2 + Noise(rng, q * h));
                    var jq = new Quad(Jitter(quad.Tl, rng, 1 + q * 8), Jitter(quad.Bl, rng, 1 + q * 8), Jitter(quad.Br, rng, 1 + q * 8), Jitter(quad.Tr, rng, 1 + q * 8));
                    float score = Math.Clamp(0.95f - 2.5f * q + Noise(rng, 0.1f), 0, 1);
                    detections.Add(new ImageDetection(id, new Detection(rng.NextDouble() < 0.05 ? rng.Next(classes) : label, jb, score, jq)));
                }
            }
            for (; dets < perImage; dets++)
            {
                float w = 4 + (float)rng.NextDouble() * 300, h = 4 + (float)rng.NextDouble() * 300;
                float x = (float)rng.NextDouble() * 600, y = (float)rng.NextDouble() * 440;
                var box = new Box(x, y, x + w, y + h);
                detections.Add(new ImageDetection(id, new Detection(rng.Next(classes), box, (float)Math.Pow(rng.NextDouble() * 0.6, 1.5), Plate(box, rng, 0.1f))));
            }
            images.Add(new ImageRecord(id, $"{id:D6}.jpg", $"/synthetic/{id:D6}.jpg", 640, 480, anns));
        }
        return new EvaluationInput(ClassTable.FromNames(Enumerable.Range(0, classes).Select(c => $"class{c}").ToArray()), images, detections);
    }

    private static Quad Plate(Box b, Random rng, float skew)
    {
        float jx = skew * b.Width, jy = skew * b.Height;
        float U(float s) => (float)rng.NextDouble() * s;
        return new Quad(new(b.X1 + U(jx), b.Y1 + U(jy)), new(b.X1 + U(jx), b.Y2 - U(jy)), new(b.X2 - U(jx), b.Y2 - U(jy)), new(b.X2 - U(jx), b.Y1 + U(jy)));
    }

    private static PointF2 Jitter(PointF2 p, Random rng, float sigma) => new(p.X + Noise(rng, sigma), p.Y + Noise(rng, sigma));

    /// <summary>Gaussian noise (Box–Muller).</summary>
    private static float Noise(Random rng, float sigma) =>
        sigma * (float)(Math.Sqrt(-2 * Math.Log(1 - rng.NextDouble())) * Math.Cos(2 * Math.PI * rng.NextDouble()));

    private static void WriteGroundTruth(string path, EvaluationInput input)
    {
        using var stream = File.Create(path);
        using var w = new Utf8JsonWriter(stream);
        w.WriteStartObject();
        w.WriteStartArray("images");
        foreach (var im in input.Images)
        {
            w.WriteStartObject();
            w.WriteNumber("id", im.Id);
            w.WriteString("file_name", im.FileName);
            w.WriteNumber("width", im.Width);
            w.WriteNumber("height", im.Height);
            w.WriteEndObject();
        }
        w.WriteEndArray();
        w.WriteStartArray("annotations");
        int annId = 1;
        foreach (var im in input.Images)
            foreach (var a in im.Annotations)
            {
                w.WriteStartObject();
                w.WriteNumber("id", annId++);
                w.WriteNumber("image_id", im.Id);
                w.WriteNumber("category_id", input.Classes.CategoryIds[a.Label]);
                w.WriteStartArray("bbox");
                foreach (var v in new[] { a.Box.X1, a.Box.Y1, a.Box.Width, a.Box.Height }) w.WriteNumberValue(v);
                w.WriteEndArray();
                w.WriteNumber("area", a.EvalArea);
                w.WriteNumber("iscrowd", a.IsCrowd ? 1 : 0);
                if (a.Points is { } q)
                {
                    w.WriteStartArray("points");
                    foreach (var v in q.ToArray()) w.WriteNumberValue(v);
                    w.WriteEndArray();
                }
                w.WriteEndObject();
            }
        w.WriteEndArray();
        w.WriteStartArray("categories");
        for (int k = 0; k < input.Classes.Count; k++)
        {
            w.WriteStartObject();
            w.WriteNumber("id", input.Classes.CategoryIds[k]);
            w.WriteString("name", input.Classes.Names[k]);
            w.WriteEndObject();
        }
        w.WriteEndArray();
        w.WriteEndObject();
    }
}
