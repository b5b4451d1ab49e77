using NanoDet.Inference.Errors;
using NanoDet.Inference.Geometry;
using OpenCvSharp;

namespace NanoDet.Inference.Pose;

/// <summary>
/// Plate pose from its four image corners (internal order TL, BL, BR, TR) by OpenCV's planar PnP (IPPE, Collins
/// and Bartoli's infinitesimal plane-based solver: exact for a noiseless planar target, and of the two mirror
/// solutions it returns the one with the smaller reprojection error). Distortion is undone by OpenCV inside solvePnP.
/// </summary>
public static class PlatePoseSolver
{
    /// <summary>
    /// The pose of a plate of <paramref name="width"/> × <paramref name="height"/> metres whose corners are
    /// <paramref name="corners"/>, or null when OpenCV finds none or the result is not in front of the camera.
    /// </summary>
    public static ObjectPose? Solve(Quad corners, double width, double height, CameraModel camera)
    {
        if (!corners.IsFinite) return null;
        var image = new Point2d[4];
        for (int k = 0; k < 4; k++) image[k] = new Point2d(corners[k].X, corners[k].Y);
        return Solve(image, PlateGeometry.ObjectPoints(width, height), camera);
    }

    /// <summary>PnP of four plate points (z = 0) and their image points, in the same order.</summary>
    public static ObjectPose? Solve(Point2d[] imagePoints, Point3d[] objectPoints, CameraModel camera)
    {
        using var obj = Mat.FromArray(objectPoints);
        using var img = Mat.FromArray(imagePoints);
        using var k = Mat.FromArray(camera.Matrix());
        using var dist = Mat.FromArray(camera.Distortion());
        using var rvec = new Mat();
        using var tvec = new Mat();
        try
        {
            Cv2.SolvePnP(obj, img, k, dist, rvec, tvec, false, SolvePnPMethod.IPPE);
        }
        catch (OpenCVException)
        {
            return null; // degenerate corners (collinear, coincident)
        }
        if (rvec.Total() != 3 || tvec.Total() != 3) return null;
        using var r64 = new Mat();
        using var t64 = new Mat();
        rvec.ConvertTo(r64, MatType.CV_64F);
        tvec.ConvertTo(t64, MatType.CV_64F);
        var pose = new ObjectPose(new Vec3d(r64.At<double>(0), r64.At<double>(1), r64.At<double>(2)),
            new Vec3d(t64.At<double>(0), t64.At<double>(1), t64.At<double>(2)));
        if (!double.IsFinite(pose.Distance) || pose.Tvec.Item2 <= 0) return null;
        return pose;
    }

    /// <summary>Image points of plate points under <paramref name="pose"/>, with the camera's distortion.</summary>
    public static Point2d[] Project(ObjectPose pose, IEnumerable<Point3d> objectPoints, CameraModel camera) =>
        objectPoints.Select(p => camera.Project(pose.Transform(p.X, p.Y, p.Z))).ToArray();
}
