using NanoDet.Inference.Errors;

namespace NanoDet.Inference.Geometry;

/// <summary>
/// A 3×3 projective matrix (row-major, double) mapping column vectors [x, y, 1]. The augmentation pipeline
/// composes every geometric step into one of these; inference keeps it to map results back with <see cref="Inverse"/>.
/// </summary>
public sealed class WarpMatrix
{
    private readonly double[] _m;

    public WarpMatrix(double[] rowMajor)
    {
        if (rowMajor.Length != 9) throw new ArgumentException("a 3x3 matrix needs 9 values", nameof(rowMajor));
        _m = (double[])rowMajor.Clone();
    }

    public static WarpMatrix Identity => new([1, 0, 0, 0, 1, 0, 0, 0, 1]);

    public static WarpMatrix Translation(double tx, double ty) => new([1, 0, tx, 0, 1, ty, 0, 0, 1]);

    public static WarpMatrix Scaling(double sx, double sy) => new([sx, 0, 0, 0, sy, 0, 0, 0, 1]);

    public double this[int row, int col] => _m[row * 3 + col];

    /// <summary>A copy of the 9 values, row-major.</summary>
    public double[] ToArray() => (double[])_m.Clone();

    /// <summary>Matrix product this · other (other is applied first).</summary>
    public WarpMatrix Multiply(WarpMatrix other)
    {
        var r = new double[9];
        for (int i = 0; i < 3; i++)
            for (int j = 0; j < 3; j++)
            {
                double s = 0;
                for (int k = 0; k < 3; k++) s += _m[i * 3 + k] * other._m[k * 3 + j];
                r[i * 3 + j] = s;
            }
        return new WarpMatrix(r);
    }

    public static WarpMatrix operator *(WarpMatrix a, WarpMatrix b) => a.Multiply(b);

    public double Determinant =>
        _m[0] * (_m[4] * _m[8] - _m[5] * _m[7]) - _m[1] * (_m[3] * _m[8] - _m[5] * _m[6]) + _m[2] * (_m[3] * _m[7] - _m[4] * _m[6]);

    /// <summary>Inverse matrix; throws when singular.</summary>
    public WarpMatrix Inverse()
    {
        double det = Determinant;
        if (Math.Abs(det) < 1e-300) throw new InvalidOperationException("warp matrix is singular");
        var m = _m;
        var r = new double[]
        {
            (m[4] * m[8] - m[5] * m[7]) / det, (m[2] * m[7] - m[1] * m[8]) / det, (m[1] * m[5] - m[2] * m[4]) / det,
            (m[5] * m[6] - m[3] * m[8]) / det, (m[0] * m[8] - m[2] * m[6]) / det, (m[2] * m[3] - m[0] * m[5]) / det,
            (m[3] * m[7] - m[4] * m[6]) / det, (m[1] * m[6] - m[0] * m[7]) / det, (m[0] * m[4] - m[1] * m[3]) / det,
        };
        return new WarpMatrix(r);
    }

    /// <summary>Maps a point homogeneously: [x', y', z'] = M·[x, y, 1], then divides by z'.</summary>
    public PointF2 Apply(PointF2 p)
    {
        double x = _m[0] * p.X + _m[1] * p.Y + _m[2];
        double y = _m[3] * p.X + _m[4] * p.Y + _m[5];
        double z = _m[6] * p.X + _m[7] * p.Y + _m[8];
        return new PointF2((float)(x / z), (float)(y / z));
    }

    /// <summary>
    /// Warps a box (docs/reference.md#warping-boxes-and-corners): its four corners are mapped homogeneously, the result is their bounding
    /// rectangle clipped to [0, <paramref name="clipWidth"/>] × [0, <paramref name="clipHeight"/>].
    /// </summary>
    public Box ApplyToBox(Box b, float clipWidth, float clipHeight)
    {
        var p1 = Apply(new PointF2(b.X1, b.Y1));
        var p2 = Apply(new PointF2(b.X2, b.Y2));
        var p3 = Apply(new PointF2(b.X1, b.Y2));
        var p4 = Apply(new PointF2(b.X2, b.Y1));
        float x1 = Math.Min(Math.Min(p1.X, p2.X), Math.Min(p3.X, p4.X));
        float y1 = Math.Min(Math.Min(p1.Y, p2.Y), Math.Min(p3.Y, p4.Y));
        float x2 = Math.Max(Math.Max(p1.X, p2.X), Math.Max(p3.X, p4.X));
        float y2 = Math.Max(Math.Max(p1.Y, p2.Y), Math.Max(p3.Y, p4.Y));
        return new Box(Math.Clamp(x1, 0, clipWidth), Math.Clamp(y1, 0, clipHeight),
            Math.Clamp(x2, 0, clipWidth), Math.Clamp(y2, 0, clipHeight));
    }

    /// <summary>
    /// Warps four corners (docs/reference.md#warping-boxes-and-corners): each mapped homogeneously, then x clipped to [0, width] and y to
    /// [0, height] independently (a corner outside the canvas is projected onto its border). Labels are not
    /// changed: relabel with <see cref="Quad.MirrorRelabel"/> when <see cref="IsMirroring"/>.
    /// </summary>
    public Quad ApplyToQuad(Quad q, float clipWidth, float clipHeight)
    {
        PointF2 Map(PointF2 p)
        {
            var r = Apply(p);
            return new PointF2(Math.Clamp(r.X, 0, clipWidth), Math.Clamp(r.Y, 0, clipHeight));
        }
        return new Quad(Map(q.Tl), Map(q.Bl), Map(q.Br), Map(q.Tr));
    }

    /// <summary>
    /// True when the map mirrors orientation (negative determinant of its 2×2 linear part), e.g. after a
    /// horizontal flip; corner labels must then be relabelled with <see cref="Quad.MirrorRelabel"/>.
    /// </summary>
    public bool IsMirroring => _m[0] * _m[4] - _m[1] * _m[3] < 0;

    public override string ToString() =>
        $"[[{_m[0]:G6}, {_m[1]:G6}, {_m[2]:G6}], [{_m[3]:G6}, {_m[4]:G6}, {_m[5]:G6}], [{_m[6]:G6}, {_m[7]:G6}, {_m[8]:G6}]]";
}
