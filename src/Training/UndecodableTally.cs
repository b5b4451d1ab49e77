using NanoDet.Abstractions.Data;
using NanoDet.Inference.Errors;
using NanoDet.Inference.Geometry;

namespace NanoDet.Training;

/// <summary>
/// Training images of one epoch that could not be decoded: how many, and the first few files (kept for the epoch
/// summary and the abort message). Immutable, so the value before a batch stays at hand when that batch aborts.
/// </summary>
internal sealed class UndecodableTally
{
    /// <summary>Files named in messages.</summary>
    public const int FilesShown = 3;

    public static readonly UndecodableTally None = new(0, null);

    public UndecodableTally(int count, IEnumerable<string>? firstFiles)
    {
        Count = count;
        FirstFiles = (firstFiles ?? []).Take(FilesShown).ToArray();
    }

    public int Count { get; }

    public IReadOnlyList<string> FirstFiles { get; }

    /// <summary>This tally plus a batch's skipped images.</summary>
    public UndecodableTally With(IReadOnlyList<SkippedItem> skipped) =>
        skipped.Count == 0 ? this : new(Count + skipped.Count, FirstFiles.Concat(skipped.Select(s => s.Location)));

    public string FirstFilesText() => string.Join(", ", FirstFiles) + (Count > FirstFiles.Count ? ", ..." : "");

    /// <summary>The one-line reason a run stops: the share, the limit and its key, the first files.</summary>
    public string AbortMessage(int epoch, int epochImages, double maxShare) =>
        FormattableString.Invariant($"{Count} of {epochImages} training images of epoch {epoch + 1} ({100.0 * Count / Math.Max(1, epochImages):0.#} %) could not be decoded, ") +
        FormattableString.Invariant($"more than schedule:max_undecodable_share = {maxShare:0.###}; first: {FirstFilesText()}. ") +
        "Fix or remove these files (nanodet data check --decode lists them all), or raise the share";
}
