using NanoDet.Inference.Errors;

namespace NanoDet.Inference.Geometry;

/// <summary>
/// Four corner points in the canonical order TL, BL, BR, TR (counter-clockwise on screen, y down).
/// For an armor plate these are the two light-bar ends on each side.
/// </summary>
public readonly record struct Quad(PointF2 Tl, PointF2 Bl, PointF2 Br, PointF2 Tr)
{
    /// <summary>Corner k in canonical order (0 = TL, 1 = BL, 2 = BR, 3 = TR).</summary>
    public PointF2 this[int k] => k switch
    {
        0 => Tl,
        1 => Bl,
        2 => Br,
        3 => Tr,
        _ => throw new ArgumentOutOfRangeException(nameof(k)),
    };

    /// <summary>From 8 numbers x1,y1,...,x4,y4 in canonical order.</summary>
    public static Quad FromArray(ReadOnlySpan<float> xy)
    {
        if (xy.Length != 8) throw new ArgumentException("a quad needs 8 numbers", nameof(xy));
        return new(new(xy[0], xy[1]), new(xy[2], xy[3]), new(xy[4], xy[5]), new(xy[6], xy[7]));
    }

    /// <summary>The 8 numbers x1,y1,...,x4,y4 in canonical order.</summary>
    public float[] ToArray() => [Tl.X, Tl.Y, Bl.X, Bl.Y, Br.X, Br.Y, Tr.X, Tr.Y];

    /// <summary>
    /// Relabels corners after a horizontal mirror: new TL = old TR, BL = old BR, BR = old BL, TR = old TL
    /// (the corner list reversed), so the canonical order still holds geometrically.
    /// </summary>
    public Quad MirrorRelabel() => new(Tr, Br, Bl, Tl);

    /// <summary>Bounding rectangle of the four corners.</summary>
    public Box Bounds()
    {
        float x1 = Math.Min(Math.Min(Tl.X, Bl.X), Math.Min(Br.X, Tr.X));
        float y1 = Math.Min(Math.Min(Tl.Y, Bl.Y), Math.Min(Br.Y, Tr.Y));
        float x2 = Math.Max(Math.Max(Tl.X, Bl.X), Math.Max(Br.X, Tr.X));
        float y2 = Math.Max(Math.Max(Tl.Y, Bl.Y), Math.Max(Br.Y, Tr.Y));
        return new(x1, y1, x2, y2);
    }

    public bool IsFinite
    {
        get
        {
            for (int k = 0; k < 4; k++)
                if (!float.IsFinite(this[k].X) || !float.IsFinite(this[k].Y)) return false;
            return true;
        }
    }

    /// <summary>The corners as <c>TL(x, y) BL(x, y) BR(x, y) TR(x, y)</c>, one decimal, invariant culture.</summary>
    public override string ToString() => FormattableString.Invariant(
        $"TL({Tl.X:F1}, {Tl.Y:F1}) BL({Bl.X:F1}, {Bl.Y:F1}) BR({Br.X:F1}, {Br.Y:F1}) TR({Tr.X:F1}, {Tr.Y:F1})");
}
