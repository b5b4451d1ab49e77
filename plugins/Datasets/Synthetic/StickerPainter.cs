using OpenCvSharp;

namespace NanoDet.Datasets.Synthetic;

/// <summary>
/// Draws a sticker (light glyph on the dark plate) into a region of the plate texture: digits 1-5 and the letter
/// G with OpenCV's Hershey fonts, the outpost (O) as a tower outline like the real stickers, the small base (Bs)
/// as a house outline and the big base (Bb) as a solid house with a door, so every class looks different.
/// </summary>
public static class StickerPainter
{
    private static readonly HersheyFonts[] Fonts = [HersheyFonts.HersheySimplex, HersheyFonts.HersheyDuplex, HersheyFonts.HersheyTriplex];

    /// <param name="tex">Plate texture (BGR).</param>
    /// <param name="area">Sticker area in texture pixels.</param>
    /// <param name="sticker">G, 1-5, O, Bs or Bb.</param>
    /// <param name="ink">Glyph colour.</param>
    /// <param name="rng">Style draws (font, stroke width, size).</param>
    public static void Draw(Mat tex, Rect2d area, string sticker, Scalar ink, Random rng)
    {
        switch (sticker)
        {
            case "O": Outpost(tex, area, ink, rng); break;
            case "Bs": House(tex, area, ink, rng, solid: false); break;
            case "Bb": House(tex, area, ink, rng, solid: true); break;
            default: Text(tex, area, sticker, ink, rng); break;
        }
    }

    private static void Text(Mat tex, Rect2d area, string text, Scalar ink, Random rng)
    {
        var font = Fonts[rng.Next(Fonts.Length)];
        double targetH = area.Height * (0.62 + 0.2 * rng.NextDouble());
        var unit = Cv2.GetTextSize(text, font, 1.0, 2, out _);
        double scale = targetH / Math.Max(1, unit.Height);
        int thickness = Math.Max(1, (int)Math.Round(scale * (1.6 + 1.6 * rng.NextDouble())));
        var size = Cv2.GetTextSize(text, font, scale, thickness, out _);
        if (size.Width > area.Width * 0.9)
        {
            scale *= area.Width * 0.9 / size.Width;
            thickness = Math.Max(1, (int)Math.Round(thickness * area.Width * 0.9 / size.Width));
            size = Cv2.GetTextSize(text, font, scale, thickness, out _);
        }
        var org = new Point(area.X + (area.Width - size.Width) / 2, area.Y + (area.Height + size.Height) / 2);
        Cv2.PutText(tex, text, org, font, scale, ink, thickness, LineTypes.AntiAlias);
    }

    /// <summary>Outline of a tower: tapered body, a window, two slits and a door, drawn with lines.</summary>
    private static void Outpost(Mat tex, Rect2d a, Scalar ink, Random rng)
    {
        int t = Math.Max(1, (int)Math.Round(a.Height * (0.035 + 0.02 * rng.NextDouble())));
        double cx = a.X + a.Width / 2, top = a.Y + a.Height * 0.1, bottom = a.Y + a.Height * 0.9;
        double hwTop = a.Height * 0.16, hwBottom = a.Height * 0.3, h = bottom - top;
        Poly(tex, ink, t, true,
            (cx - hwTop, top), (cx + hwTop, top), (cx + hwTop * 1.1, top + h * 0.25), (cx + hwBottom * 0.7, top + h * 0.78),
            (cx + hwBottom, bottom), (cx - hwBottom, bottom), (cx - hwBottom * 0.7, top + h * 0.78), (cx - hwTop * 1.1, top + h * 0.25));
        Cv2.Rectangle(tex, P(cx - hwTop * 0.35, top + h * 0.1), P(cx + hwTop * 0.35, top + h * 0.22), ink, t, LineTypes.AntiAlias);
        Cv2.Line(tex, P(cx, top + h * 0.32), P(cx, top + h * 0.5), ink, t, LineTypes.AntiAlias);
        Poly(tex, ink, t, false, (cx - hwBottom * 0.35, bottom), (cx - hwBottom * 0.2, top + h * 0.62), (cx + hwBottom * 0.2, top + h * 0.62), (cx + hwBottom * 0.35, bottom));
    }

    /// <summary>A house (pentagon); outlined with a window for the small base, solid with a dark door for the big one.</summary>
    private static void House(Mat tex, Rect2d a, Scalar ink, Random rng, bool solid)
    {
        int t = Math.Max(1, (int)Math.Round(a.Height * (0.04 + 0.025 * rng.NextDouble())));
        double cx = a.X + a.Width / 2, top = a.Y + a.Height * 0.14, bottom = a.Y + a.Height * 0.86;
        double hw = Math.Min(a.Width * 0.42, a.Height * 0.34), eave = top + (bottom - top) * 0.4;
        var house = new[] { (cx, top), (cx + hw, eave), (cx + hw, bottom), (cx - hw, bottom), (cx - hw, eave) };
        if (solid)
        {
            Poly(tex, ink, -1, true, house);
            var door = new Scalar(30, 30, 30);
            Cv2.Rectangle(tex, P(cx - hw * 0.25, bottom - (bottom - eave) * 0.7), P(cx + hw * 0.25, bottom), door, -1, LineTypes.AntiAlias);
        }
        else
        {
            Poly(tex, ink, t, true, house);
            Cv2.Rectangle(tex, P(cx - hw * 0.35, eave + (bottom - eave) * 0.2), P(cx + hw * 0.35, eave + (bottom - eave) * 0.55), ink, t, LineTypes.AntiAlias);
        }
    }

    private static void Poly(Mat tex, Scalar ink, int thickness, bool closed, params (double X, double Y)[] pts)
    {
        var p = pts.Select(q => P(q.X, q.Y)).ToArray();
        if (thickness < 0) Cv2.FillConvexPoly(tex, p, ink, LineTypes.AntiAlias);
        else Cv2.Polylines(tex, [p], closed, ink, thickness, LineTypes.AntiAlias);
    }

    private static Point P(double x, double y) => new((int)Math.Round(x), (int)Math.Round(y));
}
