namespace NanoDet.Evaluators.Corners;

/// <summary>A triangle stored counter-clockwise (positive signed area in x-right, y-up terms).</summary>
internal readonly record struct Triangle(double Ax, double Ay, double Bx, double By, double Cx, double Cy)
{
    public double Area => 0.5 * Math.Abs(Cross(Bx - Ax, By - Ay, Cx - Ax, Cy - Ay));

    /// <summary>The triangle with its vertices reordered to counter-clockwise.</summary>
    public static Triangle CounterClockwise(double ax, double ay, double bx, double by, double cx, double cy) =>
        Cross(bx - ax, by - ay, cx - ax, cy - ay) >= 0 ? new(ax, ay, bx, by, cx, cy) : new(ax, ay, cx, cy, bx, by);

    public static double Cross(double ux, double uy, double vx, double vy) => ux * vy - uy * vx;
}
