using NanoDet.Abstractions.Data;
using NanoDet.Abstractions.Geometry;

namespace NanoDet.Host.Datasets;

/// <summary>
/// Can the head represent an object's corners? The head predicts each corner as non-negative distances from a
/// prior along its quadrant signs (TL −,−; BL −,+; BR +,+; TR +,−), capped at (reg_max − 0.1)·stride, the DFL
/// target limit (docs/reference.md#corner-codec). Which priors learn an object is decided by the assigner at training time; this check
/// uses a fixed stand-in, the <em>reference prior</em>:
/// <list type="number">
/// <item>candidates are priors whose centre lies strictly inside the box (the assigner's candidate rule), on the
/// padded network input (validation resize);</item>
/// <item>the level is the finest stride with a candidate whose four box distances are all within the cap;</item>
/// <item>on that level, the candidate nearest to the box centre.</item>
/// </list>
/// A corner is <em>outside its quadrant</em> when either of its two signed distances from the reference prior is
/// negative, and <em>beyond range</em> when either exceeds the cap. Objects without any candidate prior (smaller
/// than a stride) or whose box fits no level are counted apart.
/// </summary>
public static class CornerReach
{
    /// <summary>
    /// The reference prior (centre x, y and stride) of a box on a padded input, or null when no prior lies inside it;
    /// <paramref name="boxFits"/> is false when no level reaches all four box sides within the cap.
    /// </summary>
    public static (float Cx, float Cy, int Stride)? ReferencePrior(Box b, int paddedH, int paddedW, IReadOnlyList<int> strides, int regMax, out bool boxFits)
    {
        boxFits = false;
        (float, float, int)? fallback = null;
        foreach (var s in strides.Order())
        {
            double cap = (regMax - 0.1) * s;
            var (rows, cols) = PriorGrid.LevelSize(paddedH, paddedW, s);
            // integer grid indices strictly inside (x1, x2) × (y1, y2)
            int gx0 = (int)Math.Floor(b.X1 / s) + 1, gx1 = (int)Math.Ceiling(b.X2 / s) - 1;
            int gy0 = (int)Math.Floor(b.Y1 / s) + 1, gy1 = (int)Math.Ceiling(b.Y2 / s) - 1;
            gx0 = Math.Max(gx0, 0); gy0 = Math.Max(gy0, 0); gx1 = Math.Min(gx1, cols - 1); gy1 = Math.Min(gy1, rows - 1);
            if (gx0 > gx1 || gy0 > gy1) continue;
            double mx = (b.X1 + b.X2) / 2, my = (b.Y1 + b.Y2) / 2;
            (float, float, int)? best = null;
            double bestD = double.MaxValue;
            bool fitsHere = false;
            for (int gy = gy0; gy <= gy1; gy++)
                for (int gx = gx0; gx <= gx1; gx++)
                {
                    float cx = gx * s, cy = gy * s;
                    var (l, t, r, bo) = DistanceCodec.BoxToDistances(cx, cy, b);
                    bool fits = l <= cap && t <= cap && r <= cap && bo <= cap;
                    double d = (cx - mx) * (cx - mx) + (cy - my) * (cy - my);
                    // prefer candidates that fit, then nearness to the centre
                    if (fits && !fitsHere || fits == fitsHere && d < bestD)
                    {
                        best = (cx, cy, s);
                        bestD = d;
                        fitsHere = fits;
                    }
                }
            if (fitsHere)
            {
                boxFits = true;
                return best;
            }
            fallback = best; // the coarsest level with candidates, used when no level fits
        }
        return fallback;
    }

    /// <summary>Checks the objects of one prepared (validation-resized) sample.</summary>
    public static CornerReachTally Check(PreparedSample sample, IReadOnlyList<int> strides, int regMax, int maxExamples = 3)
    {
        var t = new CornerReachTally();
        int ph = (sample.Height + 31) / 32 * 32, pw = (sample.Width + 31) / 32 * 32;
        foreach (var a in sample.Targets)
        {
            if (a.IsCrowd || a.Points is not { } q) continue;
            t.Objects++;
            var prior = ReferencePrior(a.Box, ph, pw, strides, regMax, out bool fits);
            if (prior is not { } p)
            {
                t.NoPrior++;
                if (t.Examples.Count < maxExamples) t.Examples.Add($"{sample.Source.FileName}: box {Show(a.Box)} has no prior inside it (smaller than the finest stride)");
                continue;
            }
            if (!fits) t.BoxBeyondRange++;
            double cap = (regMax - 0.1) * p.Stride;
            var d = DistanceCodec.PointsToDistances(p.Cx, p.Cy, q);
            int outside = 0, beyond = 0;
            for (int k = 0; k < 4; k++)
            {
                if (d[2 * k] < 0 || d[2 * k + 1] < 0) outside++;
                if (d[2 * k] > cap || d[2 * k + 1] > cap) beyond++;
            }
            if (outside > 0)
            {
                t.ObjectsOutsideQuadrant++;
                t.CornersOutsideQuadrant += outside;
                if (t.Examples.Count < maxExamples)
                    t.Examples.Add($"{sample.Source.FileName}: {outside} corner(s) outside their quadrant of prior ({p.Cx}, {p.Cy}) s{p.Stride}");
            }
            if (beyond > 0)
            {
                t.ObjectsBeyondRange++;
                t.CornersBeyondRange += beyond;
            }
        }
        return t;
    }

    private static string Show(Box b) => FormattableString.Invariant($"[{b.X1:0.#}, {b.Y1:0.#}, {b.X2:0.#}, {b.Y2:0.#}]");
}
