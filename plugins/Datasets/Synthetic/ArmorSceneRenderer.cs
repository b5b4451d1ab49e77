using NanoDet.Abstractions.Data;
using NanoDet.Inference.Errors;
using NanoDet.Inference.Geometry;
using OpenCvSharp;

namespace NanoDet.Datasets.Synthetic;

/// <summary>
/// Renders one synthetic frame: cluttered background, armor plates (dark housing, plate with sticker, two glowing
/// light bars), stray lights, occluders, exposure, blur and sensor noise. The label of a plate is its four
/// light-bar ends (TL, BL = left bar top/bottom; BR, TR = right bar bottom/top) and their bounding box. Every
/// random choice comes from the given <see cref="Random"/>, in a fixed order, so a seed fixes the image.
/// </summary>
public sealed class ArmorSceneRenderer(ArmorGeneratorSettings settings)
{
    /// <summary>Texture pixels per canonical unit (one light-bar length).</summary>
    private const int TexelsPerUnit = 40;

    /// <summary>One plate's geometry in canonical units.</summary>
    private sealed record PlateShape(double HalfSpacing, double BarHalfWidth, double PlateHalfWidth, double PlateHalfHeight, bool Housing);

    private sealed record PlacedPlate(ArmorClass Class, PlateShape Shape, IPlateProjection Pose, Rect2d Bounds);

    /// <summary>The frame (BGR 8-bit, caller disposes) and its annotations.</summary>
    public (Mat Image, List<Annotation> Objects) Render(Random rng)
    {
        int w = settings.Width, h = settings.Height;
        var img = BackgroundPainter.Paint(w, h, rng);
        bool negative = rng.NextDouble() < settings.NegativeFraction;
        int wanted = negative ? 0 : settings.ObjectsMin + rng.Next(settings.ObjectsMax - settings.ObjectsMin + 1);

        var plates = new List<PlacedPlate>();
        for (int i = 0; i < wanted; i++)
            if (Place(rng, plates) is { } p) plates.Add(p);
        // far (small) plates first, so nearer ones are drawn over them
        plates.Sort((a, b) => a.Pose.BarLength.CompareTo(b.Pose.BarLength));

        foreach (var p in plates) DrawBody(img, p, rng);
        foreach (var p in plates)
            if (rng.NextDouble() < settings.Occlusion) Occlude(img, p, rng);

        Expose(img, rng);
        foreach (var p in plates) DrawBars(img, p, rng);
        int strays = settings.DistractorsMin + rng.Next(settings.DistractorsMax - settings.DistractorsMin + 1);
        for (int i = 0; i < strays; i++) StrayLight(img, rng);

        Blur(img, rng);
        Noise(img, rng);

        var objects = plates.Select(p => Label(p)).ToList();
        return (img, objects);
    }

    /// <summary>Corners = light-bar ends in canonical order TL, BL, BR, TR; box = their bounding rectangle.</summary>
    private static Annotation Label(PlacedPlate p)
    {
        double a = p.Shape.HalfSpacing;
        var tl = p.Pose.Project(-a, -0.5);
        var bl = p.Pose.Project(-a, 0.5);
        var br = p.Pose.Project(a, 0.5);
        var tr = p.Pose.Project(a, -0.5);
        var q = new Quad(F(tl), F(bl), F(br), F(tr));
        return new Annotation(p.Class.Label, q.Bounds(), q) { Pose = p.Pose.Truth };
    }

    private static PointF2 F(Point2d p) => new((float)p.X, (float)p.Y);

    /// <summary>Draws a class, a shape and a pose that fit inside the image without overlapping earlier plates.</summary>
    private PlacedPlate? Place(Random rng, List<PlacedPlate> placed)
    {
        if (settings.Camera is not null) return PlaceThroughCamera(rng, placed);
        var cls = settings.Classes[rng.Next(settings.Classes.Count)];
        bool large = cls.Sticker is "1" or "Bb" || cls.Sticker is "3" or "4" or "5" && rng.NextDouble() < 0.2;
        double a = large ? 1.9 + 0.25 * rng.NextDouble() : 1.0 + 0.2 * rng.NextDouble();
        var shape = new PlateShape(a, 0.07 + 0.04 * rng.NextDouble(), a + 0.12 + 0.12 * rng.NextDouble(), 0.8 + 0.2 * rng.NextDouble(), rng.NextDouble() < 0.65);

        double logLo = Math.Log(settings.BarMin * settings.Height), logHi = Math.Log(settings.BarMax * settings.Height);
        double length = Math.Exp(logLo + (logHi - logLo) * rng.NextDouble());
        double yaw = Deg(rng, settings.MaxYaw), pitch = Deg(rng, settings.MaxPitch), roll = Deg(rng, settings.MaxRoll);
        double distance = 3 + 12 * rng.NextDouble();
        bool cut = BorderPlacement.Draw(settings.BorderFraction, rng);
        for (int attempt = 0; attempt < 12; attempt++, length *= 0.85)
        {
            var pose = new PlatePose(rng.NextDouble() * settings.Width, rng.NextDouble() * settings.Height, Math.Max(5, length),
                yaw, pitch, roll, distance * Math.Max(5, length));
            var body = pose.Rect(-shape.PlateHalfWidth, -shape.PlateHalfHeight, shape.PlateHalfWidth, shape.PlateHalfHeight);
            var bounds = Bounds(body);
            var corners = new[] { pose.Project(-a, -0.5), pose.Project(-a, 0.5), pose.Project(a, 0.5), pose.Project(a, -0.5) };
            if (!BorderPlacement.Accepts(bounds, corners, settings.Width, settings.Height, cut)) continue;
            if (placed.Any(p => Overlaps(p.Bounds, bounds))) continue;
            return new PlacedPlate(cls, shape, pose, bounds);
        }
        return null;
    }

    /// <summary>
    /// Pinhole mode: a plate of its class's physical size (light-bar spacing / length from <c>plates</c>) at a random
    /// 3-D pose seen by the configured camera; up to 12 poses are drawn until one fits in the image beside the others.
    /// </summary>
    private PlacedPlate? PlaceThroughCamera(Random rng, List<PlacedPlate> placed)
    {
        var cls = settings.Classes[rng.Next(settings.Classes.Count)];
        var (width, height) = settings.Plates.SizeOf(settings.ClassNames[cls.Label]);
        double a = width / height / 2;
        var shape = new PlateShape(a, 0.07 + 0.04 * rng.NextDouble(), a + 0.12 + 0.12 * rng.NextDouble(), 0.8 + 0.2 * rng.NextDouble(), rng.NextDouble() < 0.65);
        for (int attempt = 0; attempt < 12; attempt++)
        {
            IPlateProjection pose = PinholePlatePose.Random(rng, settings, settings.Camera!, height);
            var bounds = Bounds(pose.Rect(-shape.PlateHalfWidth, -shape.PlateHalfHeight, shape.PlateHalfWidth, shape.PlateHalfHeight));
            if (bounds.X < 2 || bounds.Y < 2 || bounds.X + bounds.Width > settings.Width - 2 || bounds.Y + bounds.Height > settings.Height - 2) continue;
            if (placed.Any(p => Overlaps(p.Bounds, bounds))) continue;
            return new PlacedPlate(cls, shape, pose, bounds);
        }
        return null;
    }

    private static double Deg(Random rng, double max) => (2 * rng.NextDouble() - 1) * max * Math.PI / 180;

    private static Rect2d Bounds(IEnumerable<Point2d> pts)
    {
        var list = pts.ToArray();
        double x0 = list.Min(p => p.X), y0 = list.Min(p => p.Y), x1 = list.Max(p => p.X), y1 = list.Max(p => p.Y);
        return new Rect2d(x0, y0, x1 - x0, y1 - y0);
    }

    private static bool Overlaps(Rect2d a, Rect2d b)
    {
        double ix = Math.Min(a.X + a.Width, b.X + b.Width) - Math.Max(a.X, b.X);
        double iy = Math.Min(a.Y + a.Height, b.Y + b.Height) - Math.Max(a.Y, b.Y);
        return ix > 0 && iy > 0;
    }

    /// <summary>Housing (dark chassis behind the plate) and the plate texture with its sticker, warped into place.</summary>
    private static void DrawBody(Mat img, PlacedPlate p, Random rng)
    {
        var s = p.Shape;
        if (s.Housing)
        {
            double hx = s.PlateHalfWidth + 0.3 + 0.5 * rng.NextDouble();
            var housing = p.Pose.Rect(-hx, -s.PlateHalfHeight - 0.3 - 0.5 * rng.NextDouble(), hx, s.PlateHalfHeight + 0.4 + 0.8 * rng.NextDouble());
            int v = 8 + rng.Next(40);
            Cv2.FillConvexPoly(img, Fixed(housing), new Scalar(v + rng.Next(6), v + rng.Next(6), v + rng.Next(6)), LineTypes.AntiAlias, Shift);
        }

        int tw = (int)Math.Ceiling(2 * s.PlateHalfWidth * TexelsPerUnit), th = (int)Math.Ceiling(2 * s.PlateHalfHeight * TexelsPerUnit);
        int baseV = 12 + rng.Next(30);
        using var tex = new Mat(th, tw, MatType.CV_8UC3, new Scalar(baseV + rng.Next(8), baseV + rng.Next(5), baseV + rng.Next(5)));
        // bevel: a slightly lighter rim
        Cv2.Rectangle(tex, new Rect(1, 1, tw - 3, th - 3), Scalar.All(baseV + 12 + rng.Next(25)), 1 + rng.Next(3));
        double stickerHalfW = s.HalfSpacing * (0.55 + 0.1 * rng.NextDouble()), stickerHalfH = 0.8 * s.PlateHalfHeight;
        var area = new Rect2d((s.PlateHalfWidth - stickerHalfW) * TexelsPerUnit, (s.PlateHalfHeight - stickerHalfH) * TexelsPerUnit,
            2 * stickerHalfW * TexelsPerUnit, 2 * stickerHalfH * TexelsPerUnit);
        if (rng.NextDouble() < 0.3)
            Cv2.Rectangle(tex, new Rect((int)area.X, (int)area.Y, (int)area.Width, (int)area.Height), Scalar.All(baseV + 6 + rng.Next(20)), -1);
        int ink = 170 + rng.Next(80);
        StickerPainter.Draw(tex, area, p.Class.Sticker, new Scalar(ink - rng.Next(12), ink - rng.Next(12), ink - rng.Next(12)), rng);

        // texture pixel (u, v) ↔ canonical (u/T − hw, v/T − hh) → image through the pose
        var src = new[] { new Point2f(0, 0), new Point2f(tw, 0), new Point2f(tw, th), new Point2f(0, th) };
        var dstD = p.Pose.Rect(-s.PlateHalfWidth, -s.PlateHalfHeight, -s.PlateHalfWidth + (double)tw / TexelsPerUnit, -s.PlateHalfHeight + (double)th / TexelsPerUnit);
        var roi = Clip(p.Bounds, img.Cols, img.Rows, pad: 2);
        if (roi.Width <= 0 || roi.Height <= 0) return;
        var dst = dstD.Select(q => new Point2f((float)(q.X - roi.X), (float)(q.Y - roi.Y))).ToArray();
        using var m = Cv2.GetPerspectiveTransform(src, dst);
        using var warped = new Mat();
        Cv2.WarpPerspective(tex, warped, m, roi.Size, InterpolationFlags.Linear, BorderTypes.Constant, Scalar.All(0));
        using var mask = new Mat(roi.Size, MatType.CV_8UC1, Scalar.All(0));
        Cv2.FillConvexPoly(mask, Fixed(dstD.Select(q => new Point2d(q.X - roi.X, q.Y - roi.Y))), Scalar.All(255), LineTypes.Link8, Shift);
        using var target = new Mat(img, roi);
        warped.CopyTo(target, mask);
    }

    /// <summary>A pole, cable or gimbal part across the sticker; the light bars stay visible.</summary>
    private static void Occlude(Mat img, PlacedPlate p, Random rng)
    {
        var s = p.Shape;
        double cx = (2 * rng.NextDouble() - 1) * 0.4 * s.HalfSpacing, hw = (0.08 + 0.2 * rng.NextDouble()) * s.HalfSpacing;
        double y0 = -s.PlateHalfHeight - 0.6 * rng.NextDouble(), y1 = -0.2 + 1.8 * rng.NextDouble();
        var poly = p.Pose.Rect(cx - hw, y0, cx + hw, y1);
        int v = 20 + rng.Next(110);
        Cv2.FillConvexPoly(img, Fixed(poly), new Scalar(v + rng.Next(10), v + rng.Next(10), v + rng.Next(10)), LineTypes.AntiAlias, Shift);
    }

    /// <summary>Global exposure and gamma of everything that does not emit light (the camera's short exposure).</summary>
    private static void Expose(Mat img, Random rng)
    {
        double gain = 0.45 + 0.6 * rng.NextDouble(), gamma = 0.9 + 0.6 * rng.NextDouble();
        var lut = new byte[256];
        for (int i = 0; i < 256; i++) lut[i] = (byte)Math.Clamp(Math.Round(255 * Math.Pow(i / 255.0, gamma) * gain), 0, 255);
        using var table = new Mat(1, 256, MatType.CV_8UC1);
        table.SetArray(lut);
        Cv2.LUT(img, table, img);
        var cast = new Scalar(1 + 0.16 * (rng.NextDouble() - 0.5), 1 + 0.16 * (rng.NextDouble() - 0.5), 1 + 0.16 * (rng.NextDouble() - 0.5));
        Cv2.Multiply(img, cast, img);
    }

    /// <summary>The two light bars: coloured glow (blurred, added) and a near-white core; unlit grey bars for "none".</summary>
    private static void DrawBars(Mat img, PlacedPlate p, Random rng)
    {
        var s = p.Shape;
        double a = s.HalfSpacing, bw = s.BarHalfWidth;
        bool lit = p.Class.Color != "N";
        var halo = LightPalette.Halo(p.Class.Color, rng);
        var core = LightPalette.Core(p.Class.Color, rng);
        double intensity = 0.55 + 0.45 * rng.NextDouble();
        foreach (double x in new[] { -a, a })
        {
            var top = p.Pose.Project(x, -0.5);
            var bottom = p.Pose.Project(x, 0.5);
            var bar = p.Pose.Rect(x - bw, -0.5, x + bw, 0.5);
            double widthPx = Math.Max(1, Distance(p.Pose.Project(x - bw, 0), p.Pose.Project(x + bw, 0)));
            if (lit) Glow(img, top, bottom, widthPx, Scaled(halo, intensity), rng);
            Cv2.FillConvexPoly(img, Fixed(bar), core, LineTypes.AntiAlias, Shift);
            // rounded ends, as the real bars
            int r = Math.Max(1, (int)Math.Round(widthPx / 2));
            Cv2.Circle(img, Fixed(top), r << Shift, core, -1, LineTypes.AntiAlias, Shift);
            Cv2.Circle(img, Fixed(bottom), r << Shift, core, -1, LineTypes.AntiAlias, Shift);
        }
    }

    /// <summary>A lone light that is not armor: a bar in any direction or a round LED.</summary>
    private void StrayLight(Mat img, Random rng)
    {
        var colour = LightPalette.StrayColor(rng);
        var halo = LightPalette.StrayHalo(colour, rng);
        var core = LightPalette.StrayCore(colour, rng);
        var c = new Point2d(rng.NextDouble() * settings.Width, rng.NextDouble() * settings.Height);
        if (rng.NextDouble() < 0.6)
        {
            double len = settings.Height * (settings.BarMin + (settings.BarMax - settings.BarMin) * rng.NextDouble()) * (0.5 + rng.NextDouble());
            double angle = rng.NextDouble() * Math.PI, width = Math.Max(1.5, len * (0.08 + 0.15 * rng.NextDouble()));
            var d = new Point2d(Math.Cos(angle) * len / 2, Math.Sin(angle) * len / 2);
            var p0 = new Point2d(c.X - d.X, c.Y - d.Y);
            var p1 = new Point2d(c.X + d.X, c.Y + d.Y);
            Glow(img, p0, p1, width, Scaled(halo, 0.5 + 0.5 * rng.NextDouble()), rng);
            Cv2.Line(img, Fixed(p0), Fixed(p1), core, Math.Max(1, (int)Math.Round(width)), LineTypes.AntiAlias, Shift);
        }
        else
        {
            double r = 1 + rng.NextDouble() * settings.Height * 0.012;
            Glow(img, c, c, 2 * r, Scaled(halo, 0.5 + 0.5 * rng.NextDouble()), rng);
            Cv2.Circle(img, Fixed(c), (int)Math.Round(r * (1 << Shift)), core, -1, LineTypes.AntiAlias, Shift);
        }
    }

    /// <summary>Additive glow around a segment: a thick line in the halo colour, Gaussian-blurred, added with saturation.</summary>
    private static void Glow(Mat img, Point2d p0, Point2d p1, double widthPx, Scalar halo, Random rng)
    {
        double sigma = Math.Max(0.8, widthPx * (0.9 + 0.9 * rng.NextDouble()));
        int pad = (int)Math.Ceiling(3 * sigma + widthPx * 2);
        var box = Bounds([p0, p1]);
        var roi = Clip(new Rect2d(box.X - pad, box.Y - pad, box.Width + 2 * pad, box.Height + 2 * pad), img.Cols, img.Rows, 0);
        if (roi.Width <= 0 || roi.Height <= 0) return;
        using var layer = new Mat(roi.Size, MatType.CV_8UC3, Scalar.All(0));
        var a = new Point2d(p0.X - roi.X, p0.Y - roi.Y);
        var b = new Point2d(p1.X - roi.X, p1.Y - roi.Y);
        Cv2.Line(layer, Fixed(a), Fixed(b), halo, Math.Max(1, (int)Math.Round(widthPx * (2.2 + rng.NextDouble()))), LineTypes.AntiAlias, Shift);
        SoftBlur.Apply(layer, layer, sigma);
        using var target = new Mat(img, roi);
        Cv2.Add(target, layer, target);
    }

    /// <summary>Motion blur (a line kernel in a random direction) or defocus, with probability <c>blur</c>.</summary>
    private void Blur(Mat img, Random rng)
    {
        if (rng.NextDouble() >= settings.Blur) return;
        if (rng.Next(2) == 0)
        {
            int len = 3 + rng.Next(7);
            double angle = rng.NextDouble() * Math.PI;
            using var kernel = new Mat(len, len, MatType.CV_32FC1, Scalar.All(0));
            double c = (len - 1) / 2.0;
            Cv2.Line(kernel, new Point((int)Math.Round(c - Math.Cos(angle) * c), (int)Math.Round(c - Math.Sin(angle) * c)),
                new Point((int)Math.Round(c + Math.Cos(angle) * c), (int)Math.Round(c + Math.Sin(angle) * c)), Scalar.All(1), 1);
            var sum = Cv2.Sum(kernel).Val0;
            kernel.ConvertTo(kernel, MatType.CV_32FC1, 1 / Math.Max(1, sum));
            Cv2.Filter2D(img, img, -1, kernel, borderType: BorderTypes.Reflect101);
        }
        else
        {
            Cv2.GaussianBlur(img, img, new Size(0, 0), 0.5 + 1.2 * rng.NextDouble());
        }
    }

    /// <summary>Sensor noise: zero-mean, triangular-distributed per channel with σ ~ U(0.5, noise).</summary>
    private unsafe void Noise(Mat img, Random rng)
    {
        if (settings.Noise <= 0) return;
        double sigma = 0.5 + (settings.Noise - 0.5) * rng.NextDouble();
        float k = (float)(sigma * Math.Sqrt(6) / 255.0);
        ulong state = (ulong)rng.NextInt64() | 1;
        int n = img.Rows * img.Cols * 3;
        var px = new Span<byte>((void*)img.Data, n);
        for (int i = 0; i < n; i++)
        {
            state ^= state << 13; state ^= state >> 7; state ^= state << 17;
            int u = (int)(state & 0xFF) + (int)((state >> 8) & 0xFF) - 255; // triangular in [−255, 255]
            int v = px[i] + (int)MathF.Round(u * k);
            px[i] = (byte)(v < 0 ? 0 : v > 255 ? 255 : v);
        }
    }

    private const int Shift = 4;

    private static Scalar Scaled(Scalar s, double k) => new(s.Val0 * k, s.Val1 * k, s.Val2 * k, s.Val3 * k);

    private static Point Fixed(Point2d p) => new((int)Math.Round(p.X * (1 << Shift)), (int)Math.Round(p.Y * (1 << Shift)));

    private static Point[] Fixed(IEnumerable<Point2d> pts) => pts.Select(Fixed).ToArray();

    private static double Distance(Point2d a, Point2d b) => Math.Sqrt((a.X - b.X) * (a.X - b.X) + (a.Y - b.Y) * (a.Y - b.Y));

    private static Rect Clip(Rect2d r, int w, int h, int pad)
    {
        int x0 = Math.Max(0, (int)Math.Floor(r.X) - pad), y0 = Math.Max(0, (int)Math.Floor(r.Y) - pad);
        int x1 = Math.Min(w, (int)Math.Ceiling(r.X + r.Width) + pad), y1 = Math.Min(h, (int)Math.Ceiling(r.Y + r.Height) + pad);
        return new Rect(x0, y0, Math.Max(0, x1 - x0), Math.Max(0, y1 - y0));
    }
}
