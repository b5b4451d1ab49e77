using NanoDet.Inference.Errors;
using NanoDet.Inference.Geometry;
using NanoDet.Inference.Pose;
using OpenCvSharp;

namespace NanoDet.Datasets.Synthetic;

/// <summary>
/// A plate at a true 3-D pose seen through a calibrated pinhole camera (with its distortion): canonical point (x, y)
/// is the plate point (x·h, y·h, 0) metres, h = light-bar length, moved by <see cref="Truth"/> into the camera frame
/// and projected. The four light-bar ends (±w/2h, ±½) therefore project exactly where PnP expects the plate's corners.
/// </summary>
/// <param name="Pose">Plate → camera.</param>
/// <param name="BarMetres">Light-bar length h (the plate height between the end points), metres.</param>
/// <param name="Camera">The camera at the generated image size.</param>
public sealed record PinholePlatePose(ObjectPose Pose, double BarMetres, CameraModel Camera) : IPlateProjection
{
    public double BarLength => Camera.Fy * BarMetres / Pose.Tvec.Item2;

    public ObjectPose? Truth => Pose;

    public Point2d Project(double x, double y) => Camera.Project(Pose.Transform(x * BarMetres, y * BarMetres));

    /// <summary>
    /// A random pose: distance uniform in [min, max] metres, the plate centre on the ray through a uniformly drawn
    /// pixel, yaw/pitch/roll uniform within ± the configured limits (degrees). Draws from <paramref name="rng"/> in a
    /// fixed order.
    /// </summary>
    public static PinholePlatePose Random(Random rng, ArmorGeneratorSettings s, CameraModel camera, double barMetres)
    {
        double distance = s.DistanceMin + (s.DistanceMax - s.DistanceMin) * rng.NextDouble();
        var ray = camera.Ray(rng.NextDouble() * s.Width, rng.NextDouble() * s.Height);
        double n = Math.Sqrt(ray.X * ray.X + ray.Y * ray.Y + 1);
        var t = new Vec3d(ray.X / n * distance, ray.Y / n * distance, distance / n);
        double yaw = Deg(rng, s.MaxYaw), pitch = Deg(rng, s.MaxPitch), roll = Deg(rng, s.MaxRoll);
        return new PinholePlatePose(ObjectPose.FromAngles(yaw, pitch, roll, t), barMetres, camera);
    }

    private static double Deg(Random rng, double max) => (2 * rng.NextDouble() - 1) * max * Math.PI / 180;
}
