using Microsoft.Extensions.Logging;
using NanoDet.Abstractions.Data;
using NanoDet.Inference.Errors;
using NanoDet.Inference.Geometry;

namespace NanoDet.Datasets.Common;

/// <summary>
/// Shared tail of every reader: image checks (path inside the folder, file present, header readable, size), the
/// object checks, the report, and the summary in the log.
/// </summary>
public sealed class DatasetBuilder(string source, ClassTable classes, ObjectRules rules, SkipLog skips)
{
    public string Source { get; } = source;

    public ClassTable Classes { get; } = classes;

    public ObjectRules Rules { get; } = rules;

    public SkipLog Skips { get; } = skips;

    private readonly Dictionary<string, int> _labels = classes.Names
        .Select((n, i) => (n, i)).GroupBy(t => t.n, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.First().i, StringComparer.Ordinal);

    /// <summary>Label of a class name, or -1.</summary>
    public int LabelOf(string name) => _labels.GetValueOrDefault(name, -1);

    /// <summary>
    /// Resolves an image file and its size. <paramref name="declared"/> is the size the label states (null or
    /// non-positive = read it from the header). False (skipped with a reason) when unusable.
    /// </summary>
    public bool TryImage(ImageFolder folder, string fileName, (int W, int H)? declared, string location, out string path, out int width, out int height)
    {
        path = "";
        width = height = 0;
        if (string.IsNullOrWhiteSpace(fileName))
        {
            Skips.Skip(location, SkipReasons.MissingFileName, "no image file name", true);
            return false;
        }
        var full = folder.Resolve(fileName);
        if (full is null)
        {
            Skips.Skip(location, SkipReasons.PathEscapes, $"'{fileName}' is outside {folder.Root}", true);
            return false;
        }
        if (!File.Exists(full))
        {
            Skips.Skip(location, SkipReasons.MissingImage, $"{full} does not exist", true);
            return false;
        }
        if (new FileInfo(full).Length == 0)
        {
            Skips.Skip(location, SkipReasons.UnreadableImage, $"{full} is an empty file", true);
            return false;
        }
        var size = ImageHeader.TryRead(full);
        if (size is null)
        {
            Skips.Skip(location, SkipReasons.UnreadableImage, $"{full} is not a readable image", true);
            return false;
        }
        if (declared is { W: > 0, H: > 0 } d && (d.W != size.Value.Width || d.H != size.Value.Height))
        {
            Skips.Skip(location, SkipReasons.ImageSizeMismatch,
                $"label says {d.W}x{d.H}, {Path.GetFileName(full)} is {size.Value.Width}x{size.Value.Height}", true);
            return false;
        }
        path = full;
        (width, height) = size.Value;
        return true;
    }

    /// <summary>Validates one object; adds it to <paramref name="into"/> or records the skip.</summary>
    public void AddObject(RawObject raw, int width, int height, string location, List<Annotation> into)
    {
        var ann = ObjectValidator.Validate(raw, width, height, Rules, out var reason, out var detail);
        if (ann is null) Skips.Skip(location, reason, detail, false);
        else into.Add(ann);
    }

    /// <summary>The finished dataset: images sorted by id, the report logged as one summary line (+ first problems).</summary>
    public LoadedDataset Build(IEnumerable<ImageRecord> images, ILogger log)
    {
        var sorted = images.OrderBy(r => r.Id).ToArray();
        var report = new DatasetReport(Source, sorted.Length, sorted.Sum(r => r.Annotations.Count), Skips.Items);
        LogReport(report, log);
        return new LoadedDataset(Classes, sorted, report);
    }

    /// <summary>Logs the summary; the first few skipped items as warnings, the rest at debug level.</summary>
    public static void LogReport(DatasetReport report, ILogger log, int shown = 8)
    {
        int i = 0;
        foreach (var s in report.Skipped)
        {
            if (i++ < shown) log.LogWarning("{Location}: {Reason}: {Detail}", s.Location, s.Reason, s.Detail);
            else log.LogDebug("{Location}: {Reason}: {Detail}", s.Location, s.Reason, s.Detail);
        }
        if (report.Skipped.Count > shown)
            log.LogWarning("... {More} more skipped items (nanodet data check lists them by reason)", report.Skipped.Count - shown);
        if (report.Skipped.Count > 0) log.LogWarning("{Summary}", report.Summary());
        else log.LogInformation("{Summary}", report.Summary());
    }
}
