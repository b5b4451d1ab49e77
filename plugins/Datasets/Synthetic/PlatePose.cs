using NanoDet.Inference.Errors;
using NanoDet.Inference.Geometry;
using NanoDet.Inference.Pose;
using OpenCvSharp;

namespace NanoDet.Datasets.Synthetic;

/// <summary>
/// Where a plate sits: canonical plate coordinates (unit = light-bar length, origin at the plate centre, y down)
/// are scaled to pixels, turned by yaw (about the vertical axis), pitch (about the horizontal axis) and roll (in
/// plane), and projected with a pinhole at distance <see cref="Focal"/> from the plate.
/// </summary>
/// <param name="Cx">Image x of the plate centre.</param>
/// <param name="Cy">Image y of the plate centre.</param>
/// <param name="BarLength">Light-bar length in pixels (before foreshortening).</param>
/// <param name="Yaw">Radians.</param>
/// <param name="Pitch">Radians.</param>
/// <param name="Roll">Radians.</param>
/// <param name="Focal">Camera distance in pixels (smaller = stronger perspective).</param>
public sealed record PlatePose(double Cx, double Cy, double BarLength, double Yaw, double Pitch, double Roll, double Focal) : IPlateProjection
{
    /// <summary>None: this projection has no physical camera.</summary>
    public ObjectPose? Truth => null;

    /// <summary>Image position of canonical point (x, y).</summary>
    public Point2d Project(double x, double y)
    {
        double X = x * BarLength, Y = y * BarLength;
        double x1 = X * Math.Cos(Yaw), z1 = -X * Math.Sin(Yaw);
        double y2 = Y * Math.Cos(Pitch) - z1 * Math.Sin(Pitch), z2 = Y * Math.Sin(Pitch) + z1 * Math.Cos(Pitch);
        double x3 = x1 * Math.Cos(Roll) - y2 * Math.Sin(Roll), y3 = x1 * Math.Sin(Roll) + y2 * Math.Cos(Roll);
        double s = Focal / (Focal + z2);
        return new Point2d(Cx + x3 * s, Cy + y3 * s);
    }

    /// <summary>Projected corners of the canonical rectangle [x0, x1] × [y0, y1] in order TL, TR, BR, BL.</summary>
    public Point2d[] Rect(double x0, double y0, double x1, double y1) =>
        [Project(x0, y0), Project(x1, y0), Project(x1, y1), Project(x0, y1)];
}
