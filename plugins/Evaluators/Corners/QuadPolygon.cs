namespace NanoDet.Evaluators.Corners;

/// <summary>
/// A quadrilateral prepared for intersection. Convex quads (the normal case) are kept whole, counter-clockwise,
/// and two convex quads intersect by one Sutherland–Hodgman clip. Any other quad is split into two disjoint
/// triangles, and the intersection area is the sum of the triangle–triangle intersections (each a convex clip):
/// <list type="bullet">
/// <item>Concave (exactly one diagonal has the other two corners on opposite sides): split along that
/// diagonal, the one from the reflex corner, which lies inside.</item>
/// <item>Self-intersecting ("bowtie", neither diagonal separates: e.g. two corners swapped by a bad prediction):
/// the two lobes between the crossing point X of the crossing edges and the corners, i.e. the region the
/// outline encloses (non-zero winding).</item>
/// </list>
/// Collinear corners give zero-area pieces, which add nothing.
/// </summary>
internal readonly record struct QuadPolygon
{
    private QuadPolygon(bool convex, Triangle first, Triangle second, Quadrilateral ccw)
    {
        IsConvex = convex;
        First = first;
        Second = second;
        CounterClockwise = ccw;
    }

    public bool IsConvex { get; }

    /// <summary>For a convex quad: its corners in counter-clockwise order (x-right, y-up terms).</summary>
    public Quadrilateral CounterClockwise { get; }

    public Triangle First { get; }
    public Triangle Second { get; }
    public double Area { get; private init; }

    /// <summary>Axis-aligned bounds, for a cheap no-overlap test.</summary>
    public double MinX { get; private init; }
    public double MinY { get; private init; }
    public double MaxX { get; private init; }
    public double MaxY { get; private init; }

    public static QuadPolygon From(in Quadrilateral q)
    {
        double x0 = q.X0, y0 = q.Y0, x1 = q.X1, y1 = q.Y1, x2 = q.X2, y2 = q.Y2, x3 = q.X3, y3 = q.Y3;
        // Sides of the other two corners with respect to each diagonal.
        double s1 = Triangle.Cross(x2 - x0, y2 - y0, x1 - x0, y1 - y0);
        double s3 = Triangle.Cross(x2 - x0, y2 - y0, x3 - x0, y3 - y0);
        double t0 = Triangle.Cross(x3 - x1, y3 - y1, x0 - x1, y0 - y1);
        double t2 = Triangle.Cross(x3 - x1, y3 - y1, x2 - x1, y2 - y1);
        bool diagonal02 = s1 * s3 <= 0;
        bool diagonal13 = t0 * t2 <= 0;

        var first = Triangle.CounterClockwise(x0, y0, x1, y1, x2, y2);
        var second = Triangle.CounterClockwise(x0, y0, x2, y2, x3, y3);
        QuadPolygon poly;
        if (diagonal02 && diagonal13)
        {
            // Convex: P0 P1 P2 P3 runs counter-clockwise (in x-right, y-up terms) when P1 lies on the right of
            // P0→P2 (s1 < 0), or P3 on its left when P1 is on it; otherwise reverse the order.
            var ccw = s1 < 0 || (s1 == 0 && s3 > 0) ? q : new Quadrilateral(x0, y0, x3, y3, x2, y2, x1, y1);
            poly = new(true, first, second, ccw);
        }
        else if (diagonal02)
        {
            poly = new(false, first, second, default);
        }
        else if (diagonal13)
        {
            poly = new(false, Triangle.CounterClockwise(x1, y1, x2, y2, x3, y3), Triangle.CounterClockwise(x1, y1, x3, y3, x0, y0), default);
        }
        else if (Crossing(x0, y0, x1, y1, x2, y2, x3, y3, out double cx, out double cy))
        {
            // Edges P0P1 and P2P3 cross at X: lobes (P0, X, P3) and (X, P1, P2).
            poly = new(false, Triangle.CounterClockwise(x0, y0, cx, cy, x3, y3), Triangle.CounterClockwise(cx, cy, x1, y1, x2, y2), default);
        }
        else if (Crossing(x1, y1, x2, y2, x3, y3, x0, y0, out cx, out cy))
        {
            // Edges P1P2 and P3P0 cross at X: lobes (P0, P1, X) and (X, P2, P3).
            poly = new(false, Triangle.CounterClockwise(x0, y0, x1, y1, cx, cy), Triangle.CounterClockwise(cx, cy, x2, y2, x3, y3), default);
        }
        else
        {
            // Not reached for finite corners (one of the cases above always holds); an empty region is the safe answer.
            poly = new(false, default, default, default);
        }
        return poly with
        {
            Area = poly.First.Area + poly.Second.Area,
            MinX = Math.Min(Math.Min(x0, x1), Math.Min(x2, x3)),
            MinY = Math.Min(Math.Min(y0, y1), Math.Min(y2, y3)),
            MaxX = Math.Max(Math.Max(x0, x1), Math.Max(x2, x3)),
            MaxY = Math.Max(Math.Max(y0, y1), Math.Max(y2, y3)),
        };
    }

    /// <summary>Area of the intersection of two quads.</summary>
    public static double IntersectionArea(in QuadPolygon a, in QuadPolygon b)
    {
        if (a.MaxX <= b.MinX || b.MaxX <= a.MinX || a.MaxY <= b.MinY || b.MaxY <= a.MinY) return 0;
        if (a.IsConvex && b.IsConvex) return ConvexClipper.ConvexIntersectionArea(a.CounterClockwise, b.CounterClockwise);
        return ConvexClipper.TriangleIntersectionArea(a.First, b.First)
             + ConvexClipper.TriangleIntersectionArea(a.First, b.Second)
             + ConvexClipper.TriangleIntersectionArea(a.Second, b.First)
             + ConvexClipper.TriangleIntersectionArea(a.Second, b.Second);
    }

    /// <summary>Intersection point of segments AB and CD when they cross (including touching).</summary>
    private static bool Crossing(double ax, double ay, double bx, double by, double cx, double cy, double dx, double dy, out double x, out double y)
    {
        double rX = bx - ax, rY = by - ay, sX = dx - cx, sY = dy - cy;
        double denom = Triangle.Cross(rX, rY, sX, sY);
        x = y = 0;
        if (denom == 0) return false;
        double t = Triangle.Cross(cx - ax, cy - ay, sX, sY) / denom;
        double u = Triangle.Cross(cx - ax, cy - ay, rX, rY) / denom;
        if (t < 0 || t > 1 || u < 0 || u > 1) return false;
        x = ax + t * rX;
        y = ay + t * rY;
        return true;
    }
}
