using NanoDet.Inference.Errors;
using NanoDet.Inference.Geometry;
using NanoDet.Inference.Pose;
using OpenCvSharp;

namespace NanoDet.Datasets.Synthetic;

/// <summary>
/// Maps canonical plate coordinates (unit = one light-bar length, origin at the plate centre, y down) to image
/// pixels: the screen-space <see cref="PlatePose"/> of the default generator, or a <see cref="PinholePlatePose"/>
/// (a plate of physical size seen by a calibrated camera).
/// </summary>
public interface IPlateProjection
{
    /// <summary>Light-bar length in pixels before foreshortening (orders plates far to near).</summary>
    double BarLength { get; }

    /// <summary>The plate's true pose relative to the camera, when the projection is a real camera's; else null.</summary>
    ObjectPose? Truth { get; }

    /// <summary>Image position of canonical point (x, y).</summary>
    Point2d Project(double x, double y);

    /// <summary>Projected corners of the canonical rectangle [x0, x1] × [y0, y1] in order TL, TR, BR, BL.</summary>
    Point2d[] Rect(double x0, double y0, double x1, double y1) =>
        [Project(x0, y0), Project(x1, y0), Project(x1, y1), Project(x0, y1)];
}
