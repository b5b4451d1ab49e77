using NanoDet.Inference.Errors;
using NanoDet.Inference.Geometry;

namespace NanoDet.Abstractions.Data;

/// <summary>Class names by label, and the COCO category id of each label (XML/txt datasets: label + 1).</summary>
public sealed record ClassTable(IReadOnlyList<string> Names, IReadOnlyList<int> CategoryIds)
{
    public int Count => Names.Count;

    /// <summary>Names with category ids 1..N, as NanoDet assigns them for XML datasets.</summary>
    public static ClassTable FromNames(IReadOnlyList<string> names) =>
        new(names, Enumerable.Range(1, names.Count).ToArray());

    /// <summary>Label of a COCO category id, or -1.</summary>
    public int LabelOf(int categoryId)
    {
        for (int i = 0; i < CategoryIds.Count; i++) if (CategoryIds[i] == categoryId) return i;
        return -1;
    }
}
