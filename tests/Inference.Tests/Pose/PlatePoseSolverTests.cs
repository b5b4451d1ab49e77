using NanoDet.Inference.Errors;
using NanoDet.Inference.Geometry;
using NanoDet.Inference.Pose;
using OpenCvSharp;

namespace NanoDet.Inference.Tests.Pose;

/// <summary>PnP on exact projections recovers the pose; every file corner order maps to the right object points.</summary>
public class PlatePoseSolverTests
{
    private static readonly CameraModel Camera = CameraModel.DefaultIndustrial;
    private static readonly CameraModel Distorted = new(1462.1, 1460.3, 652.4, 498.7, -0.083, 0.121, 0.0007, -0.0011, -0.034, 1280, 1024);

    public static TheoryData<double, double, double, double, double, double, bool, bool> Poses() => new()
    {
        // yaw°, pitch°, roll°, x, y, z (m), large plate, distorted camera
        { 0, 0, 0, 0, 0, 1.0, false, false },
        { 35, -15, 5, 0.4, -0.2, 2.5, false, false },
        { -50, 20, -12, -1.2, 0.5, 4.0, true, false },
        { 10, -25, 18, 0.9, 0.6, 7.5, false, true },
        { -70, 8, 0, -0.3, 0.1, 3.0, true, true },
    };

    [Theory]
    [MemberData(nameof(Poses))]
    public void Exact_projections_give_back_the_pose(double yaw, double pitch, double roll, double x, double y, double z, bool large, bool distorted)
    {
        var camera = distorted ? Distorted : Camera;
        var (w, h) = large ? (0.225, 0.056) : (0.135, 0.056);
        var truth = ObjectPose.FromAngles(Rad(yaw), Rad(pitch), Rad(roll), new Vec3d(x, y, z));
        var image = PlatePoseSolver.Project(truth, PlateGeometry.ObjectPoints(w, h), camera);

        var pose = PlatePoseSolver.Solve(image, PlateGeometry.ObjectPoints(w, h), camera);

        Assert.NotNull(pose);
        var p = pose.Value;
        double dt = Math.Sqrt(Sq(p.Tvec.Item0 - x) + Sq(p.Tvec.Item1 - y) + Sq(p.Tvec.Item2 - z));
        Assert.True(dt <= 0.001 * truth.Distance, $"translation off by {dt * 1000:F3} mm at {truth.Distance:F2} m");
        double rot = Deg(p.RotationAngleTo(truth));
        Assert.True(rot <= 0.01, $"rotation off by {rot:F5}°");
        Assert.Equal(yaw, Deg(p.Yaw), 2);
        Assert.Equal(pitch, Deg(p.Pitch), 2);
        Assert.Equal(roll, Deg(p.Roll), 2);

        // the same through float corners (Quad, as detections carry them): float rounding only
        var quad = new Quad(F(image[0]), F(image[1]), F(image[2]), F(image[3]));
        var fromFloat = PlatePoseSolver.Solve(quad, w, h, camera);
        Assert.NotNull(fromFloat);
        Assert.True(Math.Abs(fromFloat.Value.Distance - truth.Distance) <= 0.001 * truth.Distance);
        Assert.True(Deg(fromFloat.Value.RotationAngleTo(truth)) <= 0.1);
    }

    [Fact]
    public void Euler_angles_round_trip_through_the_rotation_vector()
    {
        var pose = ObjectPose.FromAngles(Rad(-40), Rad(12), Rad(7), new Vec3d(0, 0, 2));
        Assert.Equal(-40, Deg(pose.Yaw), 9);
        Assert.Equal(12, Deg(pose.Pitch), 9);
        Assert.Equal(7, Deg(pose.Roll), 9);
        Assert.Equal(0, pose.RotationAngleTo(pose), 9);
        // a pure yaw of 30° is 30° away from facing the camera
        Assert.Equal(30, Deg(ObjectPose.FromAngles(Rad(30), 0, 0, new Vec3d(0, 0, 2)).RotationAngleTo(new ObjectPose(new Vec3d(0, 0, 0), new Vec3d(0, 0, 2)))), 9);
    }

    [Fact]
    public void Plate_size_follows_the_class()
    {
        var g = PlateGeometry.Default;
        Assert.Equal((0.225, 0.056), g.SizeOf("B_1"));
        Assert.Equal((0.225, 0.056), g.SizeOf("R_Bb"));
        Assert.Equal((0.135, 0.056), g.SizeOf("R_3"));
        Assert.Equal((0.135, 0.056), g.SizeOf("B_Bs"));
        var custom = new PlateOptions { LargeClasses = ["3", "R_4"], Large = [230, 55] }.Resolve();
        Assert.Equal((0.23, 0.055), custom.SizeOf("B_3"));
        Assert.Equal((0.23, 0.055), custom.SizeOf("R_4"));
        Assert.Equal((0.135, 0.056), custom.SizeOf("B_4"));
        Assert.Equal((0.135, 0.056), custom.SizeOf("B_1"));
    }

    [Fact]
    public void Resized_frames_scale_the_intrinsics()
    {
        var c = CameraModel.DefaultIndustrial.ForImage(400, 320, "camera");
        Assert.Equal(CameraModel.DefaultFocal * 0.3125, c.Fx, 9);
        Assert.Equal(199.65625, c.Cx, 9); // pixel centres: (640 + 0.5) · 0.3125 − 0.5
        Assert.Same(CameraModel.DefaultIndustrial, CameraModel.DefaultIndustrial.ForImage(1280, 1024, "camera"));
        var e = Assert.Throws<NanoDet.Inference.Errors.ConfigurationException>(() => CameraModel.DefaultIndustrial.ForImage(640, 640, "camera"));
        Assert.Contains("1280x1024", e.Message);
    }

    private static PointF2 F(Point2d p) => new((float)p.X, (float)p.Y);
    private static double Rad(double deg) => deg * Math.PI / 180;
    private static double Deg(double rad) => rad * 180 / Math.PI;
    private static double Sq(double v) => v * v;
}
