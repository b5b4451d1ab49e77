using NanoDet.Abstractions.Data;
using NanoDet.Inference.Errors;
using NanoDet.Inference.Geometry;
using OpenCvSharp;

namespace NanoDet.Host.Datasets;

/// <summary>
/// Draws what the network sees: each prepared sample de-normalised back to BGR, with its boxes, class names and
/// corners numbered 1-4 in the order TL, BL, BR, TR (joined 1→2→3→4 so a wrong order shows as a crossed
/// quadrilateral), tiled into one grid.
/// </summary>
internal static class PreviewRenderer
{
    private static readonly Scalar[] CornerColors =
    [
        new(60, 60, 255),   // 1 TL red
        new(60, 220, 60),   // 2 BL green
        new(255, 140, 40),  // 3 BR blue
        new(0, 230, 255),   // 4 TR yellow
    ];

    /// <summary>
    /// The BGR image of one sample with its annotations drawn. <paramref name="image"/> is float32 [3, H, W]
    /// normalised BGR (CHW), as one row of a batch tensor; <paramref name="normalization"/> is the pipeline's, undone here.
    /// </summary>
    public static Mat Draw(ReadOnlySpan<float> image, int width, int height, IReadOnlyList<Annotation> targets, ClassTable classes, PixelNormalization normalization)
    {
        var (mean, std) = (normalization.Mean, normalization.Std);
        var mat = new Mat(height, width, MatType.CV_8UC3);
        int plane = width * height;
        var px = new byte[3 * plane];
        for (int i = 0; i < plane; i++)
            for (int c = 0; c < 3; c++)
                px[3 * i + c] = (byte)Math.Clamp(Math.Round(image[c * plane + i] * std[c] + mean[c]), 0, 255);
        System.Runtime.InteropServices.Marshal.Copy(px, 0, mat.Data, px.Length);
        foreach (var a in targets)
        {
            var color = a.IsCrowd ? Scalar.All(160) : ClassColor(a.Label);
            Cv2.Rectangle(mat, new Point(a.Box.X1, a.Box.Y1), new Point(a.Box.X2, a.Box.Y2), color, 1, LineTypes.AntiAlias);
            var name = a.Label < classes.Count ? classes.Names[a.Label] : a.Label.ToString(System.Globalization.CultureInfo.InvariantCulture);
            Label(mat, a.IsCrowd ? $"{name} (crowd)" : name, new Point(a.Box.X1, a.Box.Y1), color);
            if (a.Points is not { } q) continue;
            var pts = Enumerable.Range(0, 4).Select(k => new Point(q[k].X, q[k].Y)).ToArray();
            Cv2.Polylines(mat, [pts], true, Scalar.All(235), 1, LineTypes.AntiAlias);
            for (int k = 0; k < 4; k++)
            {
                Cv2.Circle(mat, pts[k], 3, CornerColors[k], -1, LineTypes.AntiAlias);
                var offset = new Point(k is 0 or 1 ? -11 : 5, k is 0 or 3 ? -3 : 11);
                Cv2.PutText(mat, (k + 1).ToString(System.Globalization.CultureInfo.InvariantCulture), pts[k] + offset,
                    HersheyFonts.HersheySimplex, 0.38, CornerColors[k], 1, LineTypes.AntiAlias);
            }
        }
        return mat;
    }

    /// <summary>Tiles images (any sizes) into a grid with a dark gap, captioned with <paramref name="captions"/>.</summary>
    public static Mat Grid(IReadOnlyList<Mat> tiles, IReadOnlyList<string> captions, int gap = 6)
    {
        int cols = (int)Math.Ceiling(Math.Sqrt(tiles.Count)), rows = (tiles.Count + cols - 1) / cols;
        int tw = tiles.Max(t => t.Cols), th = tiles.Max(t => t.Rows), caption = 16;
        var grid = new Mat(rows * (th + caption + gap) + gap, cols * (tw + gap) + gap, MatType.CV_8UC3, Scalar.All(24));
        for (int i = 0; i < tiles.Count; i++)
        {
            int x = gap + i % cols * (tw + gap), y = gap + i / cols * (th + caption + gap);
            Cv2.PutText(grid, captions[i], new Point(x, y + 12), HersheyFonts.HersheySimplex, 0.4, Scalar.All(220), 1, LineTypes.AntiAlias);
            using var roi = new Mat(grid, new Rect(x, y + caption, tiles[i].Cols, tiles[i].Rows));
            tiles[i].CopyTo(roi);
        }
        return grid;
    }

    private static void Label(Mat img, string text, Point at, Scalar color)
    {
        var size = Cv2.GetTextSize(text, HersheyFonts.HersheySimplex, 0.38, 1, out int baseline);
        int y = Math.Max(size.Height + 2, at.Y - 2);
        Cv2.Rectangle(img, new Rect(at.X, y - size.Height - 2, size.Width + 2, size.Height + baseline + 2), color, -1);
        Cv2.PutText(img, text, new Point(at.X + 1, y), HersheyFonts.HersheySimplex, 0.38, Scalar.All(0), 1, LineTypes.AntiAlias);
    }

    private static Scalar ClassColor(int label)
    {
        // spread hues by the golden angle so neighbouring labels differ
        double hue = label * 137.508 % 360;
        using var hsv = new Mat(1, 1, MatType.CV_8UC3, new Scalar(hue / 2, 200, 255));
        using var bgr = new Mat();
        Cv2.CvtColor(hsv, bgr, ColorConversionCodes.HSV2BGR);
        var v = bgr.Get<Vec3b>(0, 0);
        return new Scalar(v.Item0, v.Item1, v.Item2);
    }
}
