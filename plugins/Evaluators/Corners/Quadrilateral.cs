using NanoDet.Abstractions.Data;
using NanoDet.Inference.Errors;
using NanoDet.Inference.Geometry;

namespace NanoDet.Evaluators.Corners;

/// <summary>Four corners in double precision, canonical order TL, BL, BR, TR (corner k = (Xk, Yk)).</summary>
internal readonly record struct Quadrilateral(double X0, double Y0, double X1, double Y1, double X2, double Y2, double X3, double Y3)
{
    public double X(int k) => k switch { 0 => X0, 1 => X1, 2 => X2, 3 => X3, _ => throw new ArgumentOutOfRangeException(nameof(k)) };

    public double Y(int k) => k switch { 0 => Y0, 1 => Y1, 2 => Y2, 3 => Y3, _ => throw new ArgumentOutOfRangeException(nameof(k)) };

    public static Quadrilateral From(Quad q) =>
        new(q.Tl.X, q.Tl.Y, q.Bl.X, q.Bl.Y, q.Br.X, q.Br.Y, q.Tr.X, q.Tr.Y);

    /// <summary>From 8 numbers x1,y1,…,x4,y4.</summary>
    public static Quadrilateral From(ReadOnlySpan<double> xy) =>
        new(xy[0], xy[1], xy[2], xy[3], xy[4], xy[5], xy[6], xy[7]);

    /// <summary>The rectangle of an [x, y, w, h] box as a quad (TL, BL, BR, TR).</summary>
    public static Quadrilateral FromBox(double x, double y, double w, double h) =>
        new(x, y, x, y + h, x + w, y + h, x + w, y);

    public Quad ToQuad() =>
        new(new((float)X0, (float)Y0), new((float)X1, (float)Y1), new((float)X2, (float)Y2), new((float)X3, (float)Y3));

    public bool IsFinite =>
        double.IsFinite(X0) && double.IsFinite(Y0) && double.IsFinite(X1) && double.IsFinite(Y1) &&
        double.IsFinite(X2) && double.IsFinite(Y2) && double.IsFinite(X3) && double.IsFinite(Y3);
}
