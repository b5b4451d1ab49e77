using OpenCvSharp;

namespace NanoDet.Datasets.Synthetic;

/// <summary>
/// Where a plate may be placed. Normally its whole body lies inside the frame (2 px clear of the edge). With
/// <c>border_fraction</c> f &gt; 0, a fraction f of the plates may be cut by the frame edge, labelled the way a
/// labeller labels a partially visible plate: the light-bar ends where they are, outside the image when the edge
/// cuts them, at most <see cref="MaxOutside"/> of the image size outside (inside the readers' default border margin),
/// with at least one corner visible.
/// </summary>
public static class BorderPlacement
{
    /// <summary>How far outside the image a labelled corner may lie, as a fraction of its width/height (5 %).</summary>
    public const double MaxOutside = 0.05;

    /// <summary>
    /// Draws whether this plate may be cut by the edge; draws nothing (and returns false) when
    /// <paramref name="fraction"/> is 0, so existing settings render the same images.
    /// </summary>
    public static bool Draw(double fraction, Random rng) => fraction > 0 && rng.NextDouble() < fraction;

    /// <summary>
    /// Is a placement acceptable? <paramref name="body"/> is the plate body's bounding rectangle, <paramref name="corners"/>
    /// the four labelled corners; <paramref name="cut"/> allows the body to cross the edge under the rules above.
    /// </summary>
    public static bool Accepts(Rect2d body, IReadOnlyList<Point2d> corners, int width, int height, bool cut)
    {
        if (!cut)
            return body.X >= 2 && body.Y >= 2 && body.X + body.Width <= width - 2 && body.Y + body.Height <= height - 2;
        double mx = MaxOutside * width, my = MaxOutside * height;
        bool anyInside = false, anyOutside = false;
        foreach (var c in corners)
        {
            if (c.X < -mx || c.X > width + mx || c.Y < -my || c.Y > height + my) return false;
            bool inside = c.X >= 0 && c.X <= width && c.Y >= 0 && c.Y <= height;
            anyInside |= inside;
            anyOutside |= !inside;
        }
        return anyInside && anyOutside;
    }
}
