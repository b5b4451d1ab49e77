using System.Collections.Concurrent;
using System.Globalization;
using NanoDet.Abstractions.Data;
using NanoDet.Abstractions.Geometry;
using NanoDet.Abstractions.Plugins;
using NanoDet.Host.Runtime;
using NanoDet.Inference.Errors;
using NanoDet.Inference.Geometry;
using OpenCvSharp;
using Spectre.Console;

namespace NanoDet.Host.Datasets;

/// <summary>
/// <c>nanodet data check</c>: the loading summary, objects per class, skipped items by reason with examples, plates
/// cut by the frame edge (information: they are kept), and how many ground-truth corners each corner encoding
/// cannot represent and how many objects have no candidate prior (<see cref="CornerReach"/>) after the validation resize.
/// With <c>--decode</c> every image is decoded first: those that fail (cut short, corrupt pixel data) are listed as
/// skipped, as training would leave them out of their batches.
/// </summary>
internal static class DataCheck
{
    /// <summary>Prints the report; returns 1 when no image or no object is usable, else 0.</summary>
    public static int Run(IDetectionDataset ds, ISamplePipeline pipeline, CornerReachRule rule, IAnsiConsole console, bool decode = false)
    {
        if (decode) ds = WithoutUndecodable(ds, ConsoleProgress.Run(_ => Undecodable(ds)));
        var report = ds.Report;
        ConsoleText.Line(console, report.Summary(), new Style(decoration: Decoration.Bold));
        console.WriteLine();
        console.Write(ClassTable(ds));
        if (report.Skipped.Count > 0) console.Write(SkippedTable(report));
        var (border, withCorners) = BorderPlates(ds);
        var borderShare = withCorners > 0 ? FormattableString.Invariant($" ({100.0 * border / withCorners:0.0} %)") : "";
        ConsoleText.Line(console, $"border plates (a corner outside the image, kept; box clipped): {I(border)} of {I(withCorners)} objects with corners{borderShare}");

        var tally = ConsoleProgress.Run(_ => Reach(ds, pipeline, rule));
        console.Write(ReachTable(tally, pipeline.Input, rule));
        foreach (var e in tally.Examples.Take(5)) ConsoleText.Line(console, "  " + e, new Style(Color.Grey));
        ConsoleText.Line(console, $"reference prior: a candidate prior ({rule.CandidateRule}), on the finest stride that reaches all four box sides within " +
                                  "(reg_max - 0.1)·stride, nearest to the box centre (docs/data.md, \"data check\").", new Style(Color.Grey));

        if (report.Images == 0 || report.Objects == 0)
        {
            Console.Error.WriteLine($"error: {report.Source}: nothing usable ({report.Images} images, {report.Objects} objects)");
            return 1;
        }
        return 0;
    }

    /// <summary>Objects with corners, and those with a corner outside their image (plates cut by the frame edge).</summary>
    public static (int Border, int WithCorners) BorderPlates(IDetectionDataset ds)
    {
        int border = 0, withCorners = 0;
        foreach (var r in ds.Images)
            foreach (var a in r.Annotations)
            {
                if (a.IsCrowd || a.Points is not { } q) continue;
                withCorners++;
                for (int k = 0; k < 4; k++)
                    if (q[k].X < 0 || q[k].X > r.Width || q[k].Y < 0 || q[k].Y > r.Height)
                    {
                        border++;
                        break;
                    }
            }
        return (border, withCorners);
    }

    private static Table ClassTable(IDetectionDataset ds)
    {
        var objects = new int[ds.Classes.Count];
        var crowd = new int[ds.Classes.Count];
        var images = new int[ds.Classes.Count];
        foreach (var r in ds.Images)
        {
            foreach (var a in r.Annotations)
                if (a.IsCrowd) crowd[a.Label]++;
                else objects[a.Label]++;
            foreach (var l in r.Annotations.Select(a => a.Label).Distinct()) images[l]++;
        }
        var t = new Table().Border(TableBorder.Rounded).Title("objects per class");
        t.AddColumns("label", "class", "objects", "images", "crowd");
        int empty = 0;
        for (int i = 0; i < ds.Classes.Count; i++)
        {
            if (objects[i] == 0 && crowd[i] == 0)
            {
                empty++;
                continue;
            }
            t.Row(I(i), ds.Classes.Names[i], I(objects[i]), I(images[i]), I(crowd[i]));
        }
        int negatives = ds.Images.Count(r => r.Annotations.Count == 0);
        t.Caption($"{empty} of {ds.Classes.Count} classes have no objects; {negatives} images without objects (negatives)");
        return t;
    }

    private static Table SkippedTable(DatasetReport report)
    {
        var t = new Table().Border(TableBorder.Rounded).Title("skipped");
        t.AddColumns("reason", "images", "objects", "examples");
        foreach (var g in report.Skipped.GroupBy(s => s.Reason).OrderByDescending(g => g.Count()))
        {
            var examples = string.Join("\n", g.Take(3).Select(s => $"{s.Location}: {s.Detail}"));
            t.Row(g.Key, I(g.Count(s => s.WholeImage)), I(g.Count(s => !s.WholeImage)), examples);
        }
        return t;
    }

    private static Table ReachTable(CornerReachTally r, InputSpec input, CornerReachRule rule)
    {
        var t = new Table().Border(TableBorder.Rounded)
            .Title($"corners at {input.Width}x{input.Height}{(input.KeepRatio ? " (keep_ratio)" : "")}, strides {string.Join("/", rule.Strides)}, reg_max {rule.RegMax}");
        t.AddColumns("check", "objects", "corners", "share of objects");
        string Share(int n) => r.Objects == 0 ? "-" : (100.0 * n / r.Objects).ToString("0.0", CultureInfo.InvariantCulture) + " %";
        string Mark(CornerEncoding e) => e == rule.Encoding ? " (configured)" : "";
        t.AddRow("objects with corners", I(r.Objects), I(4 * r.Objects), "");
        t.AddRow($"unrepresentable, quadrant encoding{Mark(CornerEncoding.Quadrant)}", I(r.ObjectsUnrepresentableQuadrant), I(r.CornersUnrepresentableQuadrant), Share(r.ObjectsUnrepresentableQuadrant));
        t.AddRow("  of which outside their quadrant", I(r.ObjectsOutsideQuadrant), I(r.CornersOutsideQuadrant), Share(r.ObjectsOutsideQuadrant));
        t.AddRow($"unrepresentable, signed encoding{Mark(CornerEncoding.Signed)}", I(r.ObjectsUnrepresentableSigned), I(r.CornersUnrepresentableSigned), Share(r.ObjectsUnrepresentableSigned));
        t.AddRow("box beyond every level's reach", I(r.BoxBeyondRange), "", Share(r.BoxBeyondRange));
        t.AddRow(Markup.Escape($"no candidate prior ({rule.CandidateRule})"), I(r.NoPrior), "", Share(r.NoPrior));
        return t;
    }

    /// <summary>Runs the validation transform on a blank image of each record's size (cheap) and tallies corner reach.</summary>
    public static CornerReachTally Reach(IDetectionDataset ds, ISamplePipeline pipeline, CornerReachRule rule)
    {
        var total = new CornerReachTally();
        var blanks = new ConcurrentDictionary<(int, int), Mat>();
        long done = 0;
        try
        {
            var parts = new ConcurrentBag<(int Index, CornerReachTally Tally)>();
            Parallel.For(0, ds.Images.Count, i =>
            {
                var r = ds.Images[i];
                var blank = blanks.GetOrAdd((r.Width, r.Height), s => new Mat(s.Item2, s.Item1, MatType.CV_8UC3, Scalar.All(0)));
                var sample = pipeline.Prepare(blank, r, null);
                parts.Add((i, CornerReach.Check(sample, rule)));
                PluginProgress.Report("checking corner reach", Interlocked.Increment(ref done), ds.Images.Count);
            });
            foreach (var p in parts.OrderBy(p => p.Index)) total.Add(p.Tally);
        }
        finally
        {
            foreach (var m in blanks.Values) m.Dispose();
        }
        return total;
    }

    /// <summary>Decodes every image of <paramref name="ds"/> (in parallel); the ones that fail, in dataset order.</summary>
    public static IReadOnlyList<SkippedItem> Undecodable(IDetectionDataset ds)
    {
        var failed = new ConcurrentBag<(int Index, SkippedItem Item)>();
        long done = 0;
        Parallel.For(0, ds.Images.Count, i =>
        {
            var r = ds.Images[i];
            try
            {
                using var image = ds.ReadImage(r);
            }
            catch (InputDataException e)
            {
                var detail = e.Message.StartsWith(r.Path + ": ", StringComparison.Ordinal) ? e.Message[(r.Path.Length + 2)..] : e.Message;
                failed.Add((i, new SkippedItem(r.Path, SkippedItem.UndecodableImage, detail, true)));
            }
            PluginProgress.Report("decoding every image", Interlocked.Increment(ref done), ds.Images.Count);
        });
        return failed.OrderBy(f => f.Index).Select(f => f.Item).ToArray();
    }

    private static IDetectionDataset WithoutUndecodable(IDetectionDataset ds, IReadOnlyList<SkippedItem> failed)
    {
        if (failed.Count == 0) return ds;
        var bad = failed.Select(f => f.Location).ToHashSet(StringComparer.Ordinal);
        var kept = ds.Images.Where(r => !bad.Contains(r.Path)).ToArray();
        var r = ds.Report;
        var report = new DatasetReport(r.Source, kept.Length, kept.Sum(k => k.Annotations.Count), [.. r.Skipped, .. failed]);
        return new FilteredDataset(ds, kept, report);
    }

    /// <summary>A dataset minus the images that failed to decode (reading still goes through the original).</summary>
    private sealed class FilteredDataset(IDetectionDataset inner, IReadOnlyList<ImageRecord> images, DatasetReport report) : IDetectionDataset
    {
        public ClassTable Classes => inner.Classes;
        public IReadOnlyList<ImageRecord> Images { get; } = images;
        public DatasetReport Report { get; } = report;
        public Mat ReadImage(ImageRecord record) => inner.ReadImage(record);
    }

    private static string I(int v) => v.ToString(CultureInfo.InvariantCulture);
}
