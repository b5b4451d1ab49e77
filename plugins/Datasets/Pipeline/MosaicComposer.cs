using NanoDet.Abstractions.Data;
using NanoDet.Abstractions.Geometry;
using NanoDet.Abstractions.Plugins;
using NanoDet.Inference.Errors;
using NanoDet.Inference.Geometry;
using NanoDet.Inference.Preprocessing;
using OpenCvSharp;

namespace NanoDet.Datasets.Pipeline;

/// <summary>
/// Mosaic with corners: four images on one canvas of the network input size, meeting at a random point. Tile
/// t (0 top-left, 1 top-right, 2 bottom-left, 3 bottom-right) is its image scaled by
/// min(W/w, H/h)·(drawn tile scale) and moved so that its inner corner touches the meeting point; only the part
/// inside its quadrant is drawn. Image, boxes and the four corners go through the tile's matrix with the same
/// warp code as the rest of the pipeline (<see cref="TargetWarper"/>, <c>Cv2.WarpPerspective</c>). A plate cut
/// by its quadrant's border is kept while the visible part of its box is at least <c>mosaic_min_visible</c> of
/// the whole warped box, else dropped; a kept plate's box is clipped to the quadrant and corners outside it are
/// projected onto the quadrant's border, as the pipeline does at the image border. The canvas then takes the
/// normal pipeline path (shape augmentation, flip with corner relabelling, colour).
/// </summary>
public static class MosaicComposer
{
    /// <summary>Quadrant rectangle of tile <paramref name="tile"/> for a meeting point (cx, cy) on a W×H canvas.</summary>
    public static Rect Quadrant(int tile, int cx, int cy, int width, int height) => tile switch
    {
        0 => new Rect(0, 0, cx, cy),
        1 => new Rect(cx, 0, width - cx, cy),
        2 => new Rect(0, cy, cx, height - cy),
        3 => new Rect(cx, cy, width - cx, height - cy),
        _ => throw new ArgumentOutOfRangeException(nameof(tile)),
    };

    /// <summary>Canvas matrix of a tile: scale, then translate its inner corner onto (cx, cy).</summary>
    public static WarpMatrix TileMatrix(int tile, int srcW, int srcH, double scale, int cx, int cy, int width, int height)
    {
        double r = Math.Min((double)width / srcW, (double)height / srcH) * scale;
        double w = r * srcW, h = r * srcH;
        double tx = tile is 0 or 2 ? cx - w : cx;
        double ty = tile is 0 or 1 ? cy - h : cy;
        return WarpMatrix.Translation(tx, ty) * WarpMatrix.Scaling(r, r);
    }

    /// <summary>The meeting point in whole pixels (so quadrants are pixel-aligned), at least 1 px from each side.</summary>
    public static (int X, int Y) Center(MosaicDraw d, int width, int height) =>
        (Math.Clamp((int)Math.Round(d.CenterX * width), 1, width - 1), Math.Clamp((int)Math.Round(d.CenterY * height), 1, height - 1));

    /// <summary>
    /// The W×H BGR canvas (caller disposes) and its record: the first record's id and path, annotations in canvas
    /// pixels. <paramref name="images"/> and <paramref name="records"/> hold the four tiles in tile order.
    /// </summary>
    public static (Mat Canvas, ImageRecord Record) Compose(IReadOnlyList<Mat> images, IReadOnlyList<ImageRecord> records,
        MosaicDraw draw, int width, int height, double minVisible)
    {
        if (images.Count != 4 || records.Count != 4) throw new ArgumentException("a mosaic needs four images and four records");
        var (cx, cy) = Center(draw, width, height);
        var canvas = new Mat(height, width, MatType.CV_8UC3, Scalar.All(0));
        var annotations = new List<Annotation>();
        try
        {
            for (int t = 0; t < 4; t++)
            {
                var img = images[t];
                if (records[t].Width != img.Cols || records[t].Height != img.Rows)
                    throw new InputDataException($"{records[t].Path}: decoded as {img.Cols}x{img.Rows} but the labels are for {records[t].Width}x{records[t].Height} (EXIF rotation?)");
                var m = TileMatrix(t, img.Cols, img.Rows, draw.Scales[t], cx, cy, width, height);
                var q = Quadrant(t, cx, cy, width, height);
                if (q.Width <= 0 || q.Height <= 0) continue;
                // the quadrant's own pixels: the tile matrix followed by a shift to the quadrant's origin
                var local = WarpMatrix.Translation(-q.X, -q.Y) * m;
                using (var part = new Mat(canvas, q))
                using (var mat = InputTransform.ToCvMatrix(local))
                    Cv2.WarpPerspective(img, part, mat, new Size(q.Width, q.Height), InterpolationFlags.Linear, BorderTypes.Constant, Scalar.All(0));
                annotations.AddRange(TileTargets(records[t].Annotations, m, q, minVisible));
            }
        }
        catch
        {
            canvas.Dispose();
            throw;
        }
        var first = records[0];
        var record = new ImageRecord(first.Id, $"{first.FileName} +3 mosaic", first.Path, width, height, annotations);
        return (canvas, record);
    }

    /// <summary>
    /// A tile's annotations in canvas pixels: warped by <paramref name="m"/>, clipped to <paramref name="quadrant"/>,
    /// kept while the visible fraction of the box is at least <paramref name="minVisible"/> (crowd regions: while any
    /// of it is visible).
    /// </summary>
    public static List<Annotation> TileTargets(IReadOnlyList<Annotation> anns, WarpMatrix m, Rect quadrant, double minVisible)
    {
        var local = WarpMatrix.Translation(-quadrant.X, -quadrant.Y) * m;
        var result = new List<Annotation>(anns.Count);
        foreach (var a in anns)
        {
            var whole = Unclipped(a.Box, m);
            var part = TargetWarper.WarpBox(a.Box, local, quadrant.Width, quadrant.Height);
            double fraction = whole.Area > 0 ? part.Area / whole.Area : 0;
            bool keep = a.IsCrowd ? part.Area > 0 : fraction >= minVisible && part.Width > 0 && part.Height > 0;
            if (!keep) continue;
            var box = new Box(part.X1 + quadrant.X, part.Y1 + quadrant.Y, part.X2 + quadrant.X, part.Y2 + quadrant.Y);
            Quad? pts = null;
            if (a.Points is { } quad)
            {
                var p = TargetWarper.WarpPoints(quad, local).ToArray(); // not clipped: a cut plate keeps its true corners
                for (int i = 0; i < 8; i += 2)
                {
                    p[i] += quadrant.X;
                    p[i + 1] += quadrant.Y;
                }
                pts = Quad.FromArray(p);
            }
            result.Add(a with { Box = box, Points = pts, Area = null });
        }
        return result;
    }

    /// <summary>Box through M without clipping: the bounding rectangle of its four mapped corners.</summary>
    private static Box Unclipped(Box b, WarpMatrix m)
    {
        var q = new Quad(new(b.X1, b.Y1), new(b.X1, b.Y2), new(b.X2, b.Y2), new(b.X2, b.Y1));
        var w = new Quad(m.Apply(q.Tl), m.Apply(q.Bl), m.Apply(q.Br), m.Apply(q.Tr));
        return w.Bounds();
    }

}
