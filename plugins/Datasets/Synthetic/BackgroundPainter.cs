using OpenCvSharp;

namespace NanoDet.Datasets.Synthetic;

/// <summary>
/// Industrial-looking clutter behind the plates, as in real arena/lab frames: a dim gradient, sometimes curtain
/// folds, panels and shelves, metal frames and meshes, pipes (some red or blue, to tempt the detector), and
/// bright ceiling lights.
/// </summary>
public static class BackgroundPainter
{
    public static Mat Paint(int width, int height, Random rng)
    {
        var img = Gradient(width, height, rng);
        if (rng.NextDouble() < 0.35) Curtain(img, rng);
        int shapes = 3 + rng.Next(10);
        for (int i = 0; i < shapes; i++) Shape(img, rng);
        if (rng.NextDouble() < 0.3) Mesh(img, rng);
        if (rng.NextDouble() < 0.35) CeilingLight(img, rng);
        if (rng.NextDouble() < 0.5)
        {
            double sigma = 0.6 + 1.8 * rng.NextDouble();
            Cv2.GaussianBlur(img, img, new Size(0, 0), sigma);
        }
        return img;
    }

    private static Mat Gradient(int w, int h, Random rng)
    {
        var a = Grey(rng, 25, 110);
        var b = Grey(rng, 15, 120);
        bool vertical = rng.Next(2) == 0;
        int n = vertical ? h : w;
        using var ramp = new Mat(vertical ? n : 1, vertical ? 1 : n, MatType.CV_8UC3);
        for (int i = 0; i < n; i++)
        {
            double t = n > 1 ? i / (n - 1.0) : 0;
            var px = new Vec3b(Mix(a.Val0, b.Val0, t), Mix(a.Val1, b.Val1, t), Mix(a.Val2, b.Val2, t));
            if (vertical) ramp.Set(i, 0, px);
            else ramp.Set(0, i, px);
        }
        var img = new Mat();
        Cv2.Resize(ramp, img, new Size(w, h), 0, 0, InterpolationFlags.Nearest);
        return img;
    }

    /// <summary>Vertical folds: a sinusoidal brightness ripple over a band of the image.</summary>
    private static void Curtain(Mat img, Random rng)
    {
        int w = img.Cols, h = img.Rows;
        int x0 = rng.Next(w / 2), x1 = x0 + w / 3 + rng.Next(w - x0 - w / 3 + 1);
        double period = 8 + rng.NextDouble() * 24, amp = 8 + rng.NextDouble() * 22, phase = rng.NextDouble() * 6.3;
        var baseColor = Grey(rng, 60, 140);
        for (int x = x0; x < Math.Min(x1, w); x++)
        {
            double v = amp * Math.Sin(x * 2 * Math.PI / period + phase);
            var c = new Scalar(Clamp(baseColor.Val0 + v), Clamp(baseColor.Val1 + v), Clamp(baseColor.Val2 + v));
            Cv2.Line(img, new Point(x, 0), new Point(x, h - 1), c, 1);
        }
    }

    private static void Shape(Mat img, Random rng)
    {
        int w = img.Cols, h = img.Rows;
        var c = rng.NextDouble() < 0.12 ? Colored(rng) : Grey(rng, 10, 200);
        switch (rng.Next(5))
        {
            case 0: // panel or shelf
                {
                    var p = new Point(rng.Next(w), rng.Next(h));
                    var q = new Point(p.X + rng.Next(-w / 2, w / 2), p.Y + rng.Next(-h / 2, h / 2));
                    Cv2.Rectangle(img, p, q, c, rng.NextDouble() < 0.6 ? -1 : 1 + rng.Next(6));
                    break;
                }
            case 1: // frame, pipe, cable
                {
                    var p = new Point(rng.Next(-w / 4, w + w / 4), rng.Next(-h / 4, h + h / 4));
                    var q = new Point(rng.Next(-w / 4, w + w / 4), rng.Next(-h / 4, h + h / 4));
                    Cv2.Line(img, p, q, c, 1 + rng.Next(14), LineTypes.AntiAlias);
                    break;
                }
            case 2:
                Cv2.Circle(img, new Point(rng.Next(w), rng.Next(h)), 3 + rng.Next(Math.Max(4, h / 4)), c, rng.NextDouble() < 0.5 ? -1 : 1 + rng.Next(5), LineTypes.AntiAlias);
                break;
            case 3: // irregular polygon
                {
                    int n = 3 + rng.Next(4);
                    var cx = rng.Next(w);
                    var cy = rng.Next(h);
                    int r = 10 + rng.Next(Math.Max(11, h / 3));
                    var pts = Enumerable.Range(0, n).Select(i =>
                    {
                        double a = 2 * Math.PI * (i + rng.NextDouble() * 0.8) / n;
                        double rr = r * (0.5 + 0.5 * rng.NextDouble());
                        return new Point(cx + rr * Math.Cos(a), cy + rr * Math.Sin(a));
                    }).ToArray();
                    Cv2.FillPoly(img, [pts], c, LineTypes.AntiAlias);
                    break;
                }
            default: // aluminium profile: bright thin parallel lines
                {
                    int x = rng.Next(w), th = 2 + rng.Next(6);
                    var metal = Grey(rng, 120, 230);
                    bool vertical = rng.Next(3) > 0;
                    for (int k = 0; k < 2 + rng.Next(3); k++)
                    {
                        int off = k * (th + 2 + rng.Next(4));
                        if (vertical) Cv2.Line(img, new Point(x + off, 0), new Point(x + off + rng.Next(-20, 21), h), metal, th, LineTypes.AntiAlias);
                        else Cv2.Line(img, new Point(0, x % h + off), new Point(w, x % h + off + rng.Next(-20, 21)), metal, th, LineTypes.AntiAlias);
                    }
                    break;
                }
        }
    }

    /// <summary>Wire mesh or grating: a grid of thin lines over a region.</summary>
    private static void Mesh(Mat img, Random rng)
    {
        int w = img.Cols, h = img.Rows;
        var c = Grey(rng, 60, 170);
        int x0 = rng.Next(w), y0 = rng.Next(h), x1 = Math.Min(w, x0 + w / 5 + rng.Next(w / 2)), y1 = Math.Min(h, y0 + h / 5 + rng.Next(h / 2));
        int step = 3 + rng.Next(8);
        for (int x = x0; x < x1; x += step) Cv2.Line(img, new Point(x, y0), new Point(x + (y1 - y0) / 2, y1), c, 1, LineTypes.AntiAlias);
        for (int x = x0; x < x1; x += step) Cv2.Line(img, new Point(x + (y1 - y0) / 2, y0), new Point(x, y1), c, 1, LineTypes.AntiAlias);
    }

    /// <summary>A bright, blown-out fluorescent tube or lamp.</summary>
    private static void CeilingLight(Mat img, Random rng)
    {
        int w = img.Cols, h = img.Rows;
        using var glow = new Mat(img.Size(), MatType.CV_8UC3, Scalar.All(0));
        var p = new Point(rng.Next(w), rng.Next(h / 3));
        var q = new Point(p.X + rng.Next(-w / 2, w / 2), p.Y + rng.Next(-h / 6, h / 6));
        var c = new Scalar(200 + rng.Next(56), 210 + rng.Next(46), 200 + rng.Next(56));
        Cv2.Line(glow, p, q, c, 4 + rng.Next(16), LineTypes.AntiAlias);
        SoftBlur.Apply(glow, glow, 4 + rng.NextDouble() * 10);
        Cv2.Add(img, glow, img);
        Cv2.Line(img, p, q, Scalar.All(250), 2 + rng.Next(6), LineTypes.AntiAlias);
    }

    private static Scalar Grey(Random rng, int lo, int hi)
    {
        int v = lo + rng.Next(hi - lo + 1);
        int tint = rng.Next(3);
        return new Scalar(Clamp(v + (tint == 0 ? 8 : 0) + rng.Next(-4, 5)), Clamp(v + rng.Next(-4, 5)), Clamp(v + (tint == 2 ? 8 : 0) + rng.Next(-4, 5)));
    }

    /// <summary>A saturated object colour (red pipe, blue bin, yellow tape), dimmer than a light.</summary>
    private static Scalar Colored(Random rng) => rng.Next(4) switch
    {
        0 => new Scalar(30 + rng.Next(30), 30 + rng.Next(30), 120 + rng.Next(80)),
        1 => new Scalar(120 + rng.Next(80), 60 + rng.Next(40), 20 + rng.Next(30)),
        2 => new Scalar(20 + rng.Next(30), 140 + rng.Next(60), 170 + rng.Next(60)),
        _ => new Scalar(90 + rng.Next(60), 30 + rng.Next(30), 70 + rng.Next(50)),
    };

    private static byte Mix(double a, double b, double t) => (byte)Math.Round(a + (b - a) * t);

    private static double Clamp(double v) => Math.Clamp(v, 0, 255);
}
