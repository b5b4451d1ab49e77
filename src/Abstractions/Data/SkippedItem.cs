using NanoDet.Inference.Errors;
using NanoDet.Inference.Geometry;

namespace NanoDet.Abstractions.Data;

/// <summary>An image or object left out while loading a dataset, and why.</summary>
/// <param name="Location">File and, where known, line or entry (e.g. <c>ann/0001.xml:14</c>).</param>
/// <param name="Reason">Short, stable reason key used for grouping in summaries (e.g. <c>unknown class</c>).</param>
/// <param name="Detail">Human-readable detail (the offending value).</param>
/// <param name="WholeImage">True when the whole image was dropped, false for one object.</param>
public sealed record SkippedItem(string Location, string Reason, string Detail, bool WholeImage)
{
    /// <summary>
    /// The reason of an image whose header was readable at load time but whose pixels could not be decoded later
    /// (by the batch loader, or by <c>data check --decode</c>).
    /// </summary>
    public const string UndecodableImage = "undecodable image";
}
