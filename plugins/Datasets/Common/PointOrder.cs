using System.Globalization;
using Microsoft.Extensions.Configuration;
using NanoDet.Abstractions.Data;
using NanoDet.Abstractions.Plugins;
using NanoDet.Inference.Errors;
using NanoDet.Inference.Geometry;

namespace NanoDet.Datasets.Common;

/// <summary>
/// The order in which a label file lists the four corners, mapped to the internal order TL, BL, BR, TR on read and
/// back on write. Written as corner names in file order (<c>tl_bl_br_tr</c>, <c>tl_tr_br_bl</c>, any permutation of
/// tl/bl/br/tr), or as an index list where entry i is the internal corner (0 = TL, 1 = BL, 2 = BR, 3 = TR) of
/// the file's i-th point (<c>[0, 3, 2, 1]</c> = <c>tl_tr_br_bl</c>).
/// </summary>
public sealed class PointOrder
{
    private static readonly string[] CornerNames = ["tl", "bl", "br", "tr"];

    /// <summary>FileToInternal[i] = internal corner index of the i-th point in the file.</summary>
    private readonly int[] _fileToInternal;

    private PointOrder(int[] fileToInternal) => _fileToInternal = fileToInternal;

    /// <summary>TL, BL, BR, TR: the seed's and SJTU's order (default).</summary>
    public static PointOrder Canonical { get; } = new([0, 1, 2, 3]);

    /// <summary>TL, TR, BR, BL: clockwise, common in Ultralytics-based projects.</summary>
    public static PointOrder Clockwise { get; } = new([0, 3, 2, 1]);

    public bool IsCanonical => _fileToInternal.SequenceEqual([0, 1, 2, 3]);

    /// <summary>Internal corner index of each file position.</summary>
    public IReadOnlyList<int> FileToInternal => _fileToInternal;

    /// <summary>Corner names in file order, e.g. <c>tl_tr_br_bl</c>.</summary>
    public string Name => string.Join('_', _fileToInternal.Select(i => CornerNames[i]));

    public override string ToString() => Name;

    /// <summary>8 numbers x,y per point in file order → quad in internal order.</summary>
    public Quad ToInternal(ReadOnlySpan<float> fileXy)
    {
        if (fileXy.Length != 8) throw new ArgumentException("four points need 8 numbers", nameof(fileXy));
        Span<float> xy = stackalloc float[8];
        for (int i = 0; i < 4; i++)
        {
            int k = _fileToInternal[i];
            xy[2 * k] = fileXy[2 * i];
            xy[2 * k + 1] = fileXy[2 * i + 1];
        }
        return Quad.FromArray(xy);
    }

    /// <summary>Quad in internal order → 8 numbers in file order.</summary>
    public float[] ToFile(Quad q)
    {
        var xy = new float[8];
        for (int i = 0; i < 4; i++)
        {
            var p = q[_fileToInternal[i]];
            xy[2 * i] = p.X;
            xy[2 * i + 1] = p.Y;
        }
        return xy;
    }

    /// <summary>
    /// Reads <c>point_order</c> from a section: a scalar (names or "0,3,2,1") or a list of indices / names.
    /// Absent = <see cref="Canonical"/>. Errors name the key path.
    /// </summary>
    public static PointOrder FromSection(IConfigurationSection parent, string key = "point_order")
    {
        var s = parent.GetSection(key);
        if (s.Value is { } scalar) return Parse(scalar, s.Path);
        var items = s.GetChildren().OrderBy(c => int.TryParse(c.Key, out var i) ? i : int.MaxValue).Select(c => c.Value ?? "").ToArray();
        return items.Length == 0 ? Canonical : Parse(items, s.Path);
    }

    /// <summary>Parses a name list (<c>tl_tr_br_bl</c>) or an index list (<c>0,3,2,1</c>).</summary>
    public static PointOrder Parse(string text, string keyPath = "point_order")
    {
        var parts = text.Split(['_', ',', ' ', '-', ';'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        return Parse(parts, keyPath, text);
    }

    private static PointOrder Parse(IReadOnlyList<string> parts, string keyPath, string? shown = null)
    {
        shown ??= "[" + string.Join(", ", parts) + "]";
        if (parts.Count != 4) throw Invalid(keyPath, shown);
        var map = new int[4];
        for (int i = 0; i < 4; i++)
        {
            var p = parts[i].ToLowerInvariant();
            int k = Array.IndexOf(CornerNames, p);
            if (k < 0 && !(int.TryParse(p, NumberStyles.None, CultureInfo.InvariantCulture, out k) && k is >= 0 and < 4))
                throw Invalid(keyPath, shown);
            map[i] = k;
        }
        if (map.Distinct().Count() != 4) throw Invalid(keyPath, shown);
        return new PointOrder(map);
    }

    private static ConfigurationException Invalid(string keyPath, string shown) =>
        new($"{keyPath}: '{shown}' is not a corner order; use four distinct corners in file order such as tl_bl_br_tr (default), tl_tr_br_bl, or indices like [0, 3, 2, 1] (0 = TL, 1 = BL, 2 = BR, 3 = TR)");
}
