using NanoDet.Abstractions.Geometry;
using NanoDet.Inference.Errors;
using NanoDet.Inference.Geometry;
using NanoDet.Inference.Preprocessing;

namespace NanoDet.Datasets.Pipeline;

/// <summary>
/// The factors of NanoDet's geometric augmentation as 3×3 matrices (column vectors, docs/reference.md#geometric-augmentation) and their
/// composition M = ResizeM · T · F · Sh · R · Str · Scl · P · C.
/// </summary>
public static class ShapeTransform
{
    /// <summary>C: moves the source centre to the origin.</summary>
    public static WarpMatrix Center(int srcW, int srcH) => InputTransform.Center(srcW, srcH);

    /// <summary>P: identity with P[2,0] = px, P[2,1] = py.</summary>
    public static WarpMatrix Perspective(double px, double py) => new([1, 0, 0, 0, 1, 0, px, py, 1]);

    /// <summary>Scl = diag(s, s, 1).</summary>
    public static WarpMatrix Scale(double s) => WarpMatrix.Scaling(s, s);

    /// <summary>Str = diag(sx, sy, 1).</summary>
    public static WarpMatrix Stretch(double sx, double sy) => WarpMatrix.Scaling(sx, sy);

    /// <summary>R as OpenCV's getRotationMatrix2D about (0, 0), scale 1: [[cos a, sin a, 0], [−sin a, cos a, 0], [0, 0, 1]].</summary>
    public static WarpMatrix Rotation(double degrees)
    {
        double a = degrees * Math.PI / 180, c = Math.Cos(a), s = Math.Sin(a);
        return new([c, s, 0, -s, c, 0, 0, 0, 1]);
    }

    /// <summary>Sh: Sh[0,1] = tan(x°), Sh[1,0] = tan(y°).</summary>
    public static WarpMatrix Shear(double xDegrees, double yDegrees) =>
        new([1, Math.Tan(xDegrees * Math.PI / 180), 0, Math.Tan(yDegrees * Math.PI / 180), 1, 0, 0, 0, 1]);

    /// <summary>F = diag(−1, 1, 1) when flipping, else I (a mirror about the centred origin).</summary>
    public static WarpMatrix Flip(bool flip) => flip ? WarpMatrix.Scaling(-1, 1) : WarpMatrix.Identity;

    /// <summary>T: translation by (tx·W_src, ty·H_src), i.e. to the drawn output centre (source size, as NanoDet).</summary>
    public static WarpMatrix Translate(double tx, double ty, int srcW, int srcH) => WarpMatrix.Translation(tx * srcW, ty * srcH);

    /// <summary>The full matrix for one draw: ResizeM · T · F · Sh · R · Str · Scl · P · C.</summary>
    public static WarpMatrix Compose(ShapeDraw d, int srcW, int srcH, int outW, int outH, bool keepRatio)
    {
        var m = Perspective(d.PerspectiveX, d.PerspectiveY) * Center(srcW, srcH);
        m = Scale(d.Scale) * m;
        m = Stretch(d.StretchX, d.StretchY) * m;
        m = Rotation(d.RotationDeg) * m;
        m = Shear(d.ShearXDeg, d.ShearYDeg) * m;
        m = Flip(d.Flip) * m;
        m = Translate(d.TranslateX, d.TranslateY, srcW, srcH) * m;
        return InputTransform.Resize(srcW, srcH, outW, outH, keepRatio) * m;
    }
}
