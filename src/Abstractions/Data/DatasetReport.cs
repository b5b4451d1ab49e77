using NanoDet.Inference.Errors;
using NanoDet.Inference.Geometry;

namespace NanoDet.Abstractions.Data;

/// <summary>What a dataset loaded and what it skipped; printed at the end of loading and by <c>data check</c>.</summary>
public sealed record DatasetReport(string Source, int Images, int Objects, IReadOnlyList<SkippedItem> Skipped)
{
    /// <summary>Skipped counts grouped by reason, most frequent first.</summary>
    public IEnumerable<(string Reason, int Count)> SkippedByReason() =>
        Skipped.GroupBy(s => s.Reason).Select(g => (g.Key, g.Count())).OrderByDescending(t => t.Item2);

    /// <summary>One-line summary, e.g. <c>train: 200 images, 812 objects, 3 skipped (unknown class: 2, ...)</c>.</summary>
    public string Summary()
    {
        var by = string.Join(", ", SkippedByReason().Select(t => $"{t.Reason}: {t.Count}"));
        return Skipped.Count == 0
            ? $"{Source}: {Images} images, {Objects} objects, nothing skipped"
            : $"{Source}: {Images} images, {Objects} objects, {Skipped.Count} skipped ({by})";
    }
}
