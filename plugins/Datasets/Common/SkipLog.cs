using NanoDet.Abstractions.Data;
using NanoDet.Abstractions.Plugins;
using NanoDet.Inference.Errors;
using NanoDet.Inference.Geometry;

namespace NanoDet.Datasets.Common;

/// <summary>
/// Collects what a reader leaves out. Thread-safe. With <c>strict</c> the first problem is an
/// <see cref="InputDataException"/> naming the location instead.
/// </summary>
public sealed class SkipLog(bool strict)
{
    private readonly List<SkippedItem> _items = [];

    public bool Strict { get; } = strict;

    /// <summary>Records one skipped image or object; throws in strict mode.</summary>
    public void Skip(string location, string reason, string detail, bool wholeImage)
    {
        if (Strict) throw new InputDataException($"{location}: {reason}: {detail}");
        lock (_items) _items.Add(new SkippedItem(location, reason, detail, wholeImage));
    }

    /// <summary>Everything skipped so far, ordered by location (stable across thread schedules).</summary>
    public IReadOnlyList<SkippedItem> Items
    {
        get
        {
            lock (_items)
                return _items.OrderBy(i => i.Location, LocationComparer.Instance).ThenBy(i => i.Reason, StringComparer.Ordinal).ToArray();
        }
    }
}
