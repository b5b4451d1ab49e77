namespace NanoDet.Evaluators.Corners;

/// <summary>Sutherland–Hodgman clipping of one convex polygon by another (both counter-clockwise).</summary>
internal static class ConvexClipper
{
    /// <summary>Area of the intersection of two counter-clockwise triangles.</summary>
    public static double TriangleIntersectionArea(in Triangle subject, in Triangle clip)
    {
        if (subject.Area == 0 || clip.Area == 0) return 0;
        // A triangle clipped by 3 half-planes has at most 6 vertices; 8 leaves room.
        Span<double> ax = stackalloc double[8], ay = stackalloc double[8], bx = stackalloc double[8], by = stackalloc double[8];
        ax[0] = subject.Ax; ay[0] = subject.Ay;
        ax[1] = subject.Bx; ay[1] = subject.By;
        ax[2] = subject.Cx; ay[2] = subject.Cy;
        int n = 3;
        n = ClipByEdge(ax, ay, n, bx, by, clip.Ax, clip.Ay, clip.Bx, clip.By);
        n = ClipByEdge(bx, by, n, ax, ay, clip.Bx, clip.By, clip.Cx, clip.Cy);
        n = ClipByEdge(ax, ay, n, bx, by, clip.Cx, clip.Cy, clip.Ax, clip.Ay);
        return PolygonArea(bx, by, n);
    }

    /// <summary>Area of the intersection of two convex quads, both with corners in counter-clockwise order.</summary>
    public static double ConvexIntersectionArea(in Quadrilateral subject, in Quadrilateral clip)
    {
        // A 4-gon clipped by 4 half-planes has at most 8 vertices; 12 leaves room.
        Span<double> ax = stackalloc double[12], ay = stackalloc double[12], bx = stackalloc double[12], by = stackalloc double[12];
        for (int i = 0; i < 4; i++)
        {
            ax[i] = subject.X(i);
            ay[i] = subject.Y(i);
        }
        int n = 4;
        for (int e = 0; e < 4; e++)
        {
            int f = (e + 1) % 4;
            n = ClipByEdge(ax, ay, n, bx, by, clip.X(e), clip.Y(e), clip.X(f), clip.Y(f));
            var tx = ax; ax = bx; bx = tx;
            var ty = ay; ay = by; by = ty;
        }
        return PolygonArea(ax, ay, n);
    }

    /// <summary>Keeps the part of polygon (inX, inY, n) on the left of the directed line P→Q.</summary>
    private static int ClipByEdge(Span<double> inX, Span<double> inY, int n, Span<double> outX, Span<double> outY,
        double px, double py, double qx, double qy)
    {
        if (n == 0) return 0;
        double ex = qx - px, ey = qy - py;
        int m = 0;
        double sx = inX[n - 1], sy = inY[n - 1];
        double sSide = Triangle.Cross(ex, ey, sx - px, sy - py);
        for (int i = 0; i < n; i++)
        {
            double cx = inX[i], cy = inY[i];
            double cSide = Triangle.Cross(ex, ey, cx - px, cy - py);
            if (cSide >= 0)
            {
                if (sSide < 0) Emit(sx, sy, sSide, cx, cy, cSide, outX, outY, ref m);
                outX[m] = cx; outY[m] = cy; m++;
            }
            else if (sSide >= 0)
            {
                Emit(sx, sy, sSide, cx, cy, cSide, outX, outY, ref m);
            }
            sx = cx; sy = cy; sSide = cSide;
        }
        return m;
    }

    private static void Emit(double sx, double sy, double sSide, double cx, double cy, double cSide, Span<double> outX, Span<double> outY, ref int m)
    {
        double t = sSide / (sSide - cSide);
        outX[m] = sx + t * (cx - sx);
        outY[m] = sy + t * (cy - sy);
        m++;
    }

    /// <summary>Shoelace area (absolute) of a simple polygon.</summary>
    public static double PolygonArea(ReadOnlySpan<double> x, ReadOnlySpan<double> y, int n)
    {
        if (n < 3) return 0;
        double twice = 0;
        for (int i = 0, j = n - 1; i < n; j = i++) twice += x[j] * y[i] - x[i] * y[j];
        return 0.5 * Math.Abs(twice);
    }
}
