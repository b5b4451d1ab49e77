using NanoDet.Datasets.Common;
using NanoDet.Inference.Errors;
using NanoDet.Inference.Geometry;
using NanoDet.Inference.Pose;
using OpenCvSharp;

namespace NanoDet.Datasets.Tests.Pose;

/// <summary>A label file's declared point order reaches the pose solver as the right object points.</summary>
public class PointOrderPoseTests
{
    private static readonly CameraModel Camera = CameraModel.DefaultIndustrial;

    /// <summary>Every permutation of tl/bl/br/tr a label file can declare as <c>point_order</c>.</summary>
    public static TheoryData<string> AllPointOrders()
    {
        var names = new[] { "tl", "bl", "br", "tr" };
        var data = new TheoryData<string>();
        foreach (var a in names)
            foreach (var b in names.Except([a]))
                foreach (var c in names.Except([a, b]))
                    data.Add($"{a}_{b}_{c}_{names.Except([a, b, c]).Single()}");
        return data;
    }

    [Theory]
    [MemberData(nameof(AllPointOrders))]
    public void Every_point_order_maps_file_corners_to_the_right_object_points(string order)
    {
        var po = PointOrder.Parse(order);
        var truth = ObjectPose.FromAngles(Rad(25), Rad(-10), Rad(4), new Vec3d(0.3, -0.1, 3.2));
        var image = PlatePoseSolver.Project(truth, PlateGeometry.ObjectPoints(0.135, 0.056), Camera);
        var internalQuad = new Quad(F(image[0]), F(image[1]), F(image[2]), F(image[3]));
        // a label file in this order lists the corners as ToFile writes them; the reader maps them back
        var fileXy = po.ToFile(internalQuad);
        var read = po.ToInternal(fileXy);

        var pose = PlatePoseSolver.Solve(read, 0.135, 0.056, Camera);
        Assert.NotNull(pose);
        Assert.True(Deg(pose.Value.RotationAngleTo(truth)) <= 0.01);
        Assert.True(Math.Abs(pose.Value.Distance - truth.Distance) <= 0.001 * truth.Distance);

        // object points in the file's own order (for code that feeds file-order corners to PnP directly)
        var objectInternal = PlateGeometry.ObjectPoints(0.135, 0.056);
        var fileImage = Enumerable.Range(0, 4).Select(i => new Point2d(fileXy[2 * i], fileXy[2 * i + 1])).ToArray();
        var fileObject = po.FileToInternal.Select(k => objectInternal[k]).ToArray();
        var direct = PlatePoseSolver.Solve(fileImage, fileObject, Camera);
        Assert.NotNull(direct);
        Assert.True(Deg(direct.Value.RotationAngleTo(truth)) <= 0.01);

        // feeding file-order corners against internal-order object points is wrong for every non-canonical order
        if (!po.IsCanonical)
        {
            var wrong = PlatePoseSolver.Solve(fileImage, objectInternal, Camera);
            Assert.True(wrong is null || Deg(wrong.Value.RotationAngleTo(truth)) > 1 || Math.Abs(wrong.Value.Distance - truth.Distance) > 0.01);
        }
    }
    private static PointF2 F(Point2d p) => new((float)p.X, (float)p.Y);
    private static double Rad(double deg) => deg * Math.PI / 180;
    private static double Deg(double rad) => rad * 180 / Math.PI;
}
