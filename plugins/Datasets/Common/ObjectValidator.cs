using System.Globalization;
using NanoDet.Abstractions.Data;
using NanoDet.Inference.Errors;
using NanoDet.Inference.Geometry;

namespace NanoDet.Datasets.Common;

/// <summary>
/// Turns a <see cref="RawObject"/> into an <see cref="Annotation"/> or a skip reason. Order of checks: finite
/// numbers, points present, box present (else derived from the corners), positive box, corners near the box,
/// clipping the box to the image (a box wholly outside is skipped), corners within the border margin around the image
/// (plates cut by the frame keep their outside corners, unclipped), box at least 1 px (NanoDet's COCO filter),
/// positive area.
/// </summary>
public static class ObjectValidator
{
    /// <summary>The annotation, or null with <paramref name="reason"/> and <paramref name="detail"/> set.</summary>
    public static Annotation? Validate(RawObject o, int width, int height, ObjectRules rules, out string reason, out string detail)
    {
        reason = detail = "";
        if (o.Box is { } b0 && b0.Any(v => !double.IsFinite(v)) || o.Points is { IsFinite: false } || o.Area is { } a0 && !double.IsFinite(a0))
            return Fail(SkipReasons.NonFinite, "a coordinate or area is NaN or infinite", out reason, out detail);
        if (o.Points is null && rules.RequirePoints && !o.IsCrowd)
            return Fail(SkipReasons.MissingPoints, "the object has no corner points", out reason, out detail);

        double x1, y1, x2, y2;
        if (o.Box is { } b)
        {
            (x1, y1, x2, y2) = (b[0], b[1], b[2], b[3]);
        }
        else if (o.Points is { } q)
        {
            var r = q.Bounds();
            (x1, y1, x2, y2) = (r.X1, r.Y1, r.X2, r.Y2);
        }
        else
        {
            return Fail(SkipReasons.MissingBox, "the object has neither a box nor corner points", out reason, out detail);
        }

        double w = x2 - x1, h = y2 - y1;
        if (w <= 0 || h <= 0)
            return Fail(SkipReasons.NonPositiveBox, $"box {Show(x1, y1, x2, y2)} has width {F(w)} and height {F(h)}", out reason, out detail);

        if (o.Box is not null && o.Points is { } p && rules.PointsBoxTolerance >= 0)
        {
            double tol = rules.PointsBoxTolerance * Math.Max(w, h) + 1;
            for (int k = 0; k < 4; k++)
            {
                var c = p[k];
                if (c.X < x1 - tol || c.X > x2 + tol || c.Y < y1 - tol || c.Y > y2 + tol)
                    return Fail(SkipReasons.PointsOutsideBox,
                        $"corner {k + 1} ({F(c.X)}, {F(c.Y)}) lies outside box {Show(x1, y1, x2, y2)} by more than {F(tol)} px",
                        out reason, out detail);
            }
        }

        switch (rules.Clip)
        {
            case BoxClipMode.Image:
                x1 = Math.Clamp(x1, 0, width); x2 = Math.Clamp(x2, 0, width);
                y1 = Math.Clamp(y1, 0, height); y2 = Math.Clamp(y2, 0, height);
                break;
            case BoxClipMode.Reference:
                double cx = Math.Max(x1, 0), cy = Math.Max(y1, 0);
                (x1, y1, x2, y2) = (cx, cy, cx + Math.Min(w, width), cy + Math.Min(h, height));
                break;
        }
        double cw = x2 - x1, ch = y2 - y1;
        if (cw <= 0 || ch <= 0)
            return Fail(SkipReasons.BoxOutsideImage, $"box {Show(o.Box ?? [x1, y1, x2, y2])} lies outside the {width}x{height} image", out reason, out detail);
        if (o.Points is { } border && rules.BorderMargin >= 0)
        {
            double mx = rules.BorderMargin * width, my = rules.BorderMargin * height;
            for (int k = 0; k < 4; k++)
            {
                var c = border[k];
                if (c.X < -mx || c.X > width + mx || c.Y < -my || c.Y > height + my)
                    return Fail(SkipReasons.CornerBeyondMargin,
                        $"corner {k + 1} ({F(c.X)}, {F(c.Y)}) lies outside the {width}x{height} image by more than the border margin " +
                        $"{F(rules.BorderMargin)} ({F(mx)} x {F(my)} px)", out reason, out detail);
            }
        }
        if (cw < 1 || ch < 1)
            return Fail(SkipReasons.TinyBox, $"box {Show(x1, y1, x2, y2)} is {F(cw)} x {F(ch)} px", out reason, out detail);
        if (o.Area is <= 0)
            return Fail(SkipReasons.NonPositiveArea, $"area {F(o.Area.Value)}", out reason, out detail);

        var box = new Box((float)x1, (float)y1, (float)x2, (float)y2);
        return new Annotation(o.Label, box, o.Points, o.IsCrowd, o.Area is { } area ? (float)area : null);
    }

    private static Annotation? Fail(string r, string d, out string reason, out string detail)
    {
        reason = r;
        detail = d;
        return null;
    }

    private static string F(double v) => v.ToString("0.###", CultureInfo.InvariantCulture);

    private static string Show(double x1, double y1, double x2, double y2) => $"[{F(x1)}, {F(y1)}, {F(x2)}, {F(y2)}]";

    private static string Show(double[] b) => Show(b[0], b[1], b[2], b[3]);
}
