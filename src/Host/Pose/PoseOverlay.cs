using System.Globalization;
using NanoDet.Abstractions.Model;
using NanoDet.Host.Inference;
using NanoDet.Inference.Detections;
using NanoDet.Inference.Errors;
using NanoDet.Inference.Geometry;
using NanoDet.Inference.Pose;
using OpenCvSharp;

namespace NanoDet.Host.Pose;

/// <summary>
/// Draws a solved plate pose on an annotated image: the plate's axes from its centre (x red, y green, plate normal
/// towards the camera blue; each half a plate height long) projected through the camera, and the distance in metres
/// below the box.
/// </summary>
internal static class PoseOverlay
{
    public static void Draw(Mat bgr, Detection detection, ObjectPose pose, CameraModel camera, double plateHeight)
    {
        int thickness = DetectionPainter.LineThickness(bgr);
        double len = plateHeight;
        var points = PlatePoseSolver.Project(pose, [new(0, 0, 0), new(len, 0, 0), new(0, len, 0), new(0, 0, -len)], camera);
        if (points.Any(p => !double.IsFinite(p.X) || !double.IsFinite(p.Y) || Math.Abs(p.X) > 1e5 || Math.Abs(p.Y) > 1e5)) return;
        var o = Pixel(points[0]);
        Cv2.ArrowedLine(bgr, o, Pixel(points[1]), new Scalar(0, 0, 255), thickness, LineTypes.AntiAlias, 0, 0.2);
        Cv2.ArrowedLine(bgr, o, Pixel(points[2]), new Scalar(0, 255, 0), thickness, LineTypes.AntiAlias, 0, 0.2);
        Cv2.ArrowedLine(bgr, o, Pixel(points[3]), new Scalar(255, 0, 0), thickness, LineTypes.AntiAlias, 0, 0.2);

        var text = string.Create(CultureInfo.InvariantCulture, $"{pose.Distance:0.00} m  yaw {pose.Yaw * 180 / Math.PI:0}");
        double fontScale = 0.4 * thickness;
        var size = Cv2.GetTextSize(text, HersheyFonts.HersheySimplex, fontScale, thickness, out int baseline);
        var b = detection.Box;
        int x = Math.Clamp((int)b.X1, 0, Math.Max(0, bgr.Width - size.Width));
        int y = Math.Min(bgr.Height - baseline, (int)Math.Round(b.Y2) + size.Height + baseline + 2);
        Cv2.Rectangle(bgr, new Rect(x, y - size.Height - baseline, size.Width, size.Height + baseline), Scalar.Black, -1);
        Cv2.PutText(bgr, text, new Point(x, y - baseline), HersheyFonts.HersheySimplex, fontScale, Scalar.White, thickness, LineTypes.AntiAlias);
    }

    private static Point Pixel(Point2d p) => new((int)Math.Round(p.X), (int)Math.Round(p.Y));
}
