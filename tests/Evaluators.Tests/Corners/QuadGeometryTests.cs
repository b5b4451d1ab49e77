using NanoDet.Evaluators.Corners;

namespace NanoDet.Evaluators.Tests;

/// <summary>Quadrilateral areas and intersections (corners in order TL, BL, BR, TR).</summary>
public class QuadGeometryTests
{
    private static Quadrilateral Q(params double[] xy) => Quadrilateral.From(xy);

    private static readonly Quadrilateral Square = Q(0, 0, 0, 10, 10, 10, 10, 0); // TL BL BR TR of [0,10]²

    [Fact]
    public void Square_against_shifted_square()
    {
        // Shift by 5 in x: overlap 5x10 = 50, union 150 → 1/3. Shift by 1: 90 / 110.
        Assert.Equal(1.0 / 3, QuadOverlap.Iou(Square, Q(5, 0, 5, 10, 15, 10, 15, 0)), 12);
        Assert.Equal(90.0 / 110, QuadOverlap.Iou(Square, Q(1, 0, 1, 10, 11, 10, 11, 0)), 12);
        Assert.Equal(1.0, QuadOverlap.Iou(Square, Square), 12);
        Assert.Equal(0.0, QuadOverlap.Iou(Square, Q(20, 0, 20, 10, 30, 10, 30, 0)));
    }

    [Fact]
    public void Diamond_inside_square()
    {
        // Diamond through the edge midpoints: area 50, entirely inside the square (area 100) → IoU 0.5.
        var diamond = Q(5, 0, 0, 5, 5, 10, 10, 5);
        Assert.Equal(50, QuadPolygon.From(diamond).Area, 12);
        Assert.Equal(0.5, QuadOverlap.Iou(Square, diamond), 12);
    }

    [Fact]
    public void Either_winding_gives_the_same_result()
    {
        // The same square listed clockwise on screen (TL, TR, BR, BL) is the same region.
        Assert.Equal(1.0, QuadOverlap.Iou(Square, Q(0, 0, 10, 0, 10, 10, 0, 10)), 12);
    }

    [Fact]
    public void Concave_quad_area_and_overlap()
    {
        // Arrowhead (0,0) (2,1) (4,0) (2,3), reflex corner at (2,1). Shoelace: ½|0 − 4 + 12 + 0| = 4.
        var arrow = Q(0, 0, 2, 1, 4, 0, 2, 3);
        Assert.Equal(4, QuadPolygon.From(arrow).Area, 12);
        Assert.Equal(1.0, QuadOverlap.Iou(arrow, arrow), 12);
        // Against the band [0,4]x[0,1]: at height y ≤ 1 the arrow spans x ∈ [y/1.5, 2y] (between its edges
        // y = 1.5x and y = x/2) and the mirror image on the right: width 2·(2y − 2y/3) = 8y/3; ∫₀¹ 8y/3 dy = 4/3.
        var band = Q(0, 0, 0, 1, 4, 1, 4, 0);
        Assert.Equal(4.0 / 3, QuadPolygon.IntersectionArea(QuadPolygon.From(arrow), QuadPolygon.From(band)), 12);
    }

    [Fact]
    public void Self_intersecting_quad_is_its_two_lobes()
    {
        // Corners (0,0) (2,2) (2,0) (0,2): edges P0P1 and P2P3 cross at (1,1) → lobes of area 1 each.
        var bowtie = Q(0, 0, 2, 2, 2, 0, 0, 2);
        Assert.Equal(2, QuadPolygon.From(bowtie).Area, 12);
        // Against the square [0,2]²: intersection = the lobes (2), union 4 → 0.5.
        Assert.Equal(0.5, QuadOverlap.Iou(bowtie, Q(0, 0, 0, 2, 2, 2, 2, 0)), 12);
    }

    [Fact]
    public void Degenerate_quads_have_no_area()
    {
        var line = Q(0, 0, 1, 1, 2, 2, 3, 3);
        Assert.Equal(0, QuadPolygon.From(line).Area);
        Assert.Equal(0, QuadOverlap.Iou(line, Square));
        Assert.Equal(0, QuadOverlap.Iou(line, line));
    }

    [Fact]
    public void Random_quads_agree_with_grid_sampling()
    {
        // Convex, concave and self-intersecting quads against each other; the grid uses the non-zero winding rule.
        var rng = new Random(1234);
        int concave = 0, crossed = 0;
        for (int i = 0; i < 40; i++)
        {
            var a = RandomQuad(rng);
            var b = RandomQuad(rng);
            var pa = QuadPolygon.From(a);
            if (!pa.IsConvex) { if (IsSelfIntersecting(a)) crossed++; else concave++; }
            double gridArea = GridArea(a);
            Assert.True(Math.Abs(gridArea - pa.Area) <= 0.6 + 0.01 * pa.Area, $"case {i}: grid area {gridArea}, exact {pa.Area}");
            double exact = QuadPolygon.IntersectionArea(pa, QuadPolygon.From(b));
            double grid = GridIntersection(a, b);
            Assert.True(Math.Abs(grid - exact) <= 0.6 + 0.01 * exact, $"case {i}: grid {grid}, exact {exact}");
        }
        Assert.True(concave > 3 && crossed > 3, $"the random set must include concave ({concave}) and self-intersecting ({crossed}) quads");
    }

    private static Quadrilateral RandomQuad(Random rng) =>
        Q(Enumerable.Range(0, 8).Select(_ => rng.NextDouble() * 40).ToArray());

    private static bool IsSelfIntersecting(Quadrilateral q)
    {
        static double Cross(double ax, double ay, double bx, double by) => ax * by - ay * bx;
        static bool Crosses(double x1, double y1, double x2, double y2, double x3, double y3, double x4, double y4) =>
            Cross(x2 - x1, y2 - y1, x3 - x1, y3 - y1) * Cross(x2 - x1, y2 - y1, x4 - x1, y4 - y1) < 0 &&
            Cross(x4 - x3, y4 - y3, x1 - x3, y1 - y3) * Cross(x4 - x3, y4 - y3, x2 - x3, y2 - y3) < 0;
        return Crosses(q.X0, q.Y0, q.X1, q.Y1, q.X2, q.Y2, q.X3, q.Y3) || Crosses(q.X1, q.Y1, q.X2, q.Y2, q.X3, q.Y3, q.X0, q.Y0);
    }

    private const double Step = 0.1;

    private static double GridArea(Quadrilateral q) => GridIntersection(q, q);

    /// <summary>Area of points inside both outlines (non-zero winding), sampled on a 0.1 grid over [−1, 41]².</summary>
    private static double GridIntersection(Quadrilateral a, Quadrilateral b)
    {
        long inside = 0;
        for (double x = -1 + Step / 2; x < 41; x += Step)
            for (double y = -1 + Step / 2; y < 41; y += Step)
                if (Winding(a, x, y) != 0 && Winding(b, x, y) != 0) inside++;
        return inside * Step * Step;
    }

    private static int Winding(Quadrilateral q, double x, double y)
    {
        int w = 0;
        for (int i = 0; i < 4; i++)
        {
            int j = (i + 1) % 4;
            double x1 = q.X(i), y1 = q.Y(i), x2 = q.X(j), y2 = q.Y(j);
            double side = (x2 - x1) * (y - y1) - (x - x1) * (y2 - y1);
            if (y1 <= y) { if (y2 > y && side > 0) w++; }
            else if (y2 <= y && side < 0) w--;
        }
        return w;
    }
}
