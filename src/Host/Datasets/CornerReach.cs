using NanoDet.Abstractions.Data;
using NanoDet.Abstractions.Geometry;
using NanoDet.Inference.Errors;
using NanoDet.Inference.Geometry;

namespace NanoDet.Host.Datasets;

/// <summary>
/// Can the head represent an object's corners? Each corner is a pair of values from a prior in stride units,
/// capped at reg_max − 0.1 (the DFL target limit, docs/reference.md#corner-codec): the quadrant encoding also needs both values non-negative along
/// its quadrant signs (TL −,−; BL −,+; BR +,+; TR +,−), the signed encoding only |value| within the cap (see
/// <see cref="CornerCodec"/>). Which priors learn an object is decided by the assigner at training time; this check
/// uses a fixed stand-in, the <em>reference prior</em>:
/// <list type="number">
/// <item>candidates are priors the assigner's candidate rule admits (strictly inside the box, or also within
/// <c>center_radius</c>·stride of the box centre), on the padded network input (validation resize);</item>
/// <item>the level is the finest stride with a candidate whose four box distances are all within the cap;</item>
/// <item>on that level, the candidate nearest to the box centre.</item>
/// </list>
/// Both encodings are checked from the same reference prior, so the report compares them on equal terms. Objects
/// without any candidate prior (smaller than a stride, without the tiny-plate rule) or whose box fits no level are
/// counted apart.
/// </summary>
internal static class CornerReach
{
    /// <summary>
    /// The reference prior (centre x, y and stride) of a box on a padded input, or null when no prior is a candidate;
    /// <paramref name="boxFits"/> is false when no level reaches all four box sides within the cap.
    /// </summary>
    public static (float Cx, float Cy, int Stride)? ReferencePrior(Box b, int paddedH, int paddedW, IReadOnlyList<int> strides, int regMax,
        out bool boxFits, double centerRadius = 0)
    {
        boxFits = false;
        (float, float, int)? fallback = null;
        double mx = (b.X1 + b.X2) / 2, my = (b.Y1 + b.Y2) / 2;
        foreach (var s in strides.Order())
        {
            double cap = (regMax - 0.1) * s;
            var (rows, cols) = PriorPoints.LevelSize(paddedH, paddedW, s);
            // integer grid indices strictly inside (x1, x2) × (y1, y2), widened to the centre window when the rule has one
            int gx0 = (int)Math.Floor(b.X1 / s) + 1, gx1 = (int)Math.Ceiling(b.X2 / s) - 1;
            int gy0 = (int)Math.Floor(b.Y1 / s) + 1, gy1 = (int)Math.Ceiling(b.Y2 / s) - 1;
            double r = centerRadius * s;
            if (centerRadius > 0)
            {
                gx0 = Math.Min(gx0, (int)Math.Floor((mx - r) / s) + 1); gx1 = Math.Max(gx1, (int)Math.Ceiling((mx + r) / s) - 1);
                gy0 = Math.Min(gy0, (int)Math.Floor((my - r) / s) + 1); gy1 = Math.Max(gy1, (int)Math.Ceiling((my + r) / s) - 1);
            }
            gx0 = Math.Max(gx0, 0); gy0 = Math.Max(gy0, 0); gx1 = Math.Min(gx1, cols - 1); gy1 = Math.Min(gy1, rows - 1);
            if (gx0 > gx1 || gy0 > gy1) continue;
            (float, float, int)? best = null;
            double bestD = double.MaxValue;
            bool fitsHere = false;
            for (int gy = gy0; gy <= gy1; gy++)
                for (int gx = gx0; gx <= gx1; gx++)
                {
                    float cx = gx * s, cy = gy * s;
                    bool inside = cx > b.X1 && cx < b.X2 && cy > b.Y1 && cy < b.Y2;
                    bool near = centerRadius > 0 && Math.Abs(cx - mx) < r && Math.Abs(cy - my) < r;
                    if (!inside && !near) continue;
                    var (l, t, rr, bo) = DistanceCodec.BoxToDistances(cx, cy, b);
                    // a prior outside the box has a negative side, which the target clamps to 0: still reachable
                    bool fits = l <= cap && t <= cap && rr <= cap && bo <= cap;
                    double d = (cx - mx) * (cx - mx) + (cy - my) * (cy - my);
                    // prefer candidates that fit, then nearness to the centre
                    if (fits && !fitsHere || fits == fitsHere && d < bestD)
                    {
                        best = (cx, cy, s);
                        bestD = d;
                        fitsHere = fits;
                    }
                }
            if (best is null) continue;
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
    public static CornerReachTally Check(PreparedSample sample, CornerReachRule rule, int maxExamples = 3)
    {
        var t = new CornerReachTally();
        int ph = InputPadding.RoundUp(sample.Height), pw = InputPadding.RoundUp(sample.Width);
        var quadrant = new CornerCodec(CornerEncoding.Quadrant, rule.RegMax);
        var signed = new CornerCodec(CornerEncoding.Signed, rule.RegMax);
        foreach (var a in sample.Targets)
        {
            if (a.IsCrowd || a.Points is not { } q) continue;
            t.Objects++;
            var prior = ReferencePrior(a.Box, ph, pw, rule.Strides, rule.RegMax, out bool fits, rule.CenterRadius);
            if (prior is not { } p)
            {
                t.NoPrior++;
                if (t.Examples.Count < maxExamples)
                    t.Examples.Add($"{sample.Source.FileName}: box {Show(a.Box)} has no candidate prior ({rule.CandidateRule})");
                continue;
            }
            if (!fits) t.BoxBeyondRange++;
            var dq = DistanceCodec.PointsToDistances(p.Cx, p.Cy, q, CornerEncoding.Quadrant);
            var ds = DistanceCodec.PointsToDistances(p.Cx, p.Cy, q, CornerEncoding.Signed);
            int outside = 0, lostQuadrant = 0, lostSigned = 0;
            for (int k = 0; k < 4; k++)
            {
                if (dq[2 * k] < 0 || dq[2 * k + 1] < 0) outside++;
                if (!quadrant.Represents(dq[2 * k] / p.Stride) || !quadrant.Represents(dq[2 * k + 1] / p.Stride)) lostQuadrant++;
                if (!signed.Represents(ds[2 * k] / p.Stride) || !signed.Represents(ds[2 * k + 1] / p.Stride)) lostSigned++;
            }
            if (outside > 0)
            {
                t.ObjectsOutsideQuadrant++;
                t.CornersOutsideQuadrant += outside;
                if (t.Examples.Count < maxExamples && rule.Encoding == CornerEncoding.Quadrant)
                    t.Examples.Add($"{sample.Source.FileName}: {outside} corner(s) outside their quadrant of prior ({p.Cx}, {p.Cy}) s{p.Stride}");
            }
            if (lostQuadrant > 0)
            {
                t.ObjectsUnrepresentableQuadrant++;
                t.CornersUnrepresentableQuadrant += lostQuadrant;
            }
            if (lostSigned > 0)
            {
                t.ObjectsUnrepresentableSigned++;
                t.CornersUnrepresentableSigned += lostSigned;
            }
        }
        return t;
    }

    private static string Show(Box b) => FormattableString.Invariant($"[{b.X1:0.#}, {b.Y1:0.#}, {b.X2:0.#}, {b.Y2:0.#}]");
}
