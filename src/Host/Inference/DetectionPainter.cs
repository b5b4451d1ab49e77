using System.Globalization;
using NanoDet.Abstractions.Model;
using NanoDet.Inference.Detections;
using NanoDet.Inference.Errors;
using NanoDet.Inference.Geometry;
using OpenCvSharp;

namespace NanoDet.Host.Inference;

/// <summary>
/// Draws detections on an image: the box, the corner quadrilateral with corners numbered 1–4 (TL, BL, BR, TR), and
/// "class score" above the box; one colour per class. Only detections with a score at or above the threshold are
/// drawn (NanoDet's demo uses 0.35).
/// </summary>
internal sealed class DetectionPainter(IReadOnlyList<string> classNames, float threshold)
{
    public float Threshold { get; } = threshold;

    /// <summary>Line width for drawing on <paramref name="bgr"/>: 1 px per 320 px of its shorter side, at least 1.</summary>
    public static int LineThickness(Mat bgr) => Math.Max(1, (int)Math.Round(Math.Min(bgr.Width, bgr.Height) / 320.0));

    /// <summary>Draws onto <paramref name="bgr"/> in place; returns how many detections were drawn.</summary>
    public int Draw(Mat bgr, IReadOnlyList<Detection> detections)
    {
        int thickness = LineThickness(bgr);
        double fontScale = 0.4 * thickness;
        int drawn = 0;
        // Lowest score first so the most confident detection ends up on top.
        foreach (var d in detections.Where(d => d.Score >= Threshold).OrderBy(d => d.Score))
        {
            var color = ClassColor(d.Label);
            var b = d.Box;
            Cv2.Rectangle(bgr, new Point((int)Math.Round(b.X1), (int)Math.Round(b.Y1)), new Point((int)Math.Round(b.X2), (int)Math.Round(b.Y2)), color, thickness);
            if (d.Points is { } q)
            {
                var corners = new[] { q.Tl, q.Bl, q.Br, q.Tr }.Select(p => new Point((int)Math.Round(p.X), (int)Math.Round(p.Y))).ToArray();
                Cv2.Polylines(bgr, [corners], isClosed: true, color, thickness);
                for (int k = 0; k < 4; k++)
                {
                    Cv2.Circle(bgr, corners[k], 2 + thickness, Scalar.White, -1);
                    Cv2.Circle(bgr, corners[k], 2 + thickness, color, thickness);
                    Cv2.PutText(bgr, (k + 1).ToString(CultureInfo.InvariantCulture), corners[k] + new Point(4 + thickness, -4 - thickness),
                        HersheyFonts.HersheySimplex, fontScale, color, thickness, LineTypes.AntiAlias);
                }
            }
            var name = d.Label < classNames.Count ? classNames[d.Label] : d.Label.ToString(CultureInfo.InvariantCulture);
            var text = $"{name} {d.Score.ToString("0.00", CultureInfo.InvariantCulture)}";
            var size = Cv2.GetTextSize(text, HersheyFonts.HersheySimplex, fontScale, thickness, out int baseline);
            int x = Math.Max(0, (int)b.X1), y = Math.Max(size.Height + baseline, (int)b.Y1);
            Cv2.Rectangle(bgr, new Rect(x, y - size.Height - baseline, size.Width, size.Height + baseline), color, -1);
            Cv2.PutText(bgr, text, new Point(x, y - baseline), HersheyFonts.HersheySimplex, fontScale, Scalar.White, thickness, LineTypes.AntiAlias);
            drawn++;
        }
        return drawn;
    }

    /// <summary>A bright, stable colour per class: hues spaced by the golden angle.</summary>
    public static Scalar ClassColor(int label)
    {
        double hue = (label * 137.508) % 360;
        double c = 0.9 * 0.95, xh = c * (1 - Math.Abs(hue / 60 % 2 - 1)), m = 0.95 - c;
        var (r, g, b) = (hue / 60) switch
        {
            < 1 => (c, xh, 0.0),
            < 2 => (xh, c, 0.0),
            < 3 => (0.0, c, xh),
            < 4 => (0.0, xh, c),
            < 5 => (xh, 0.0, c),
            _ => (c, 0.0, xh),
        };
        return new Scalar((b + m) * 255, (g + m) * 255, (r + m) * 255);
    }
}
