using NanoDet.Abstractions.Data;
using NanoDet.Abstractions.Evaluation;
using NanoDet.Abstractions.Model;
using NanoDet.Host.Pose;
using NanoDet.Inference.Detections;
using NanoDet.Inference.Errors;
using NanoDet.Inference.Geometry;
using NanoDet.Inference.Pose;
using OpenCvSharp;

namespace NanoDet.Host.Tests.Pose;

/// <summary>The pose table of eval: exact corners give no error, shifted corners a measured one, in the right bin.</summary>
public class PoseEvaluationTests
{
    private static readonly string[] Names = ["B_1", "B_3"];
    private static readonly PoseSetup Setup = new(CameraModel.DefaultIndustrial, PlateGeometry.Default, Names, "test camera");

    private static (ImageRecord Image, List<ImageDetection> Detections) Scene(int id, double shiftPx)
    {
        var annotations = new List<Annotation>();
        var detections = new List<ImageDetection>();
        var plates = new[] { (Label: 0, Pose: ObjectPose.FromAngles(0.3, -0.1, 0.05, new Vec3d(0.2, 0.1, 2.0))),
                             (Label: 1, Pose: ObjectPose.FromAngles(-0.5, 0.2, 0, new Vec3d(-0.6, 0.2, 5.0))) };
        foreach (var (label, pose) in plates)
        {
            var (w, h) = PlateGeometry.Default.SizeOf(Names[label]);
            var p = PlatePoseSolver.Project(pose, PlateGeometry.ObjectPoints(w, h), CameraModel.DefaultIndustrial);
            var q = new Quad(F(p[0]), F(p[1]), F(p[2]), F(p[3]));
            annotations.Add(new Annotation(label, q.Bounds(), q) { Pose = pose });
            var shifted = new Quad(S(q.Tl, shiftPx), S(q.Bl, shiftPx), S(q.Br, -shiftPx), S(q.Tr, -shiftPx)); // plate looks narrower
            detections.Add(new ImageDetection(id, new Detection(label, q.Bounds(), 0.9f, shifted)));
        }
        return (new ImageRecord(id, $"{id}.jpg", $"/x/{id}.jpg", 1280, 1024, annotations), detections);
    }

    [Fact]
    public void Exact_corners_give_no_error_and_shifted_ones_a_measured_error()
    {
        var (image, exact) = Scene(1, 0);
        var r = new PoseEvaluation(Setup).Compute([image], exact);
        Assert.Equal(2, r.Pairs);
        Assert.Equal(2, r.Model.Count);
        Assert.All(r.Model, s => Assert.True(s.DistancePercent < 0.01 && s.RotationError < 0.1, $"{s}"));
        Assert.All(r.NoisePx, n => Assert.Equal(0, n, 6));

        var (image2, shifted) = Scene(1, 1.5);
        var r2 = new PoseEvaluation(Setup).Compute([image2], shifted);
        // a narrower plate of unchanged height reads as more yaw and/or farther away
        Assert.All(r2.Model, s => Assert.True(s.RotationError > 0.5 || s.DistancePercent > 0.3, $"{s}"));
        // every corner off by 1.5 px in x and 0 in y: RMS per coordinate = √((1.5² + 0²) / 2)
        Assert.Equal(1.5 / Math.Sqrt(2), r2.NoisePx[PoseEvaluation.BinOf(2.0)], 6);
        var table = PoseEvaluation.Table(r2, Setup);
        Assert.Contains("1-3 m", table);
        Assert.Contains("3-8 m", table);
        Assert.Contains("ref σ=", table);
        var metrics = PoseEvaluation.Metrics(r2);
        Assert.Equal(1, metrics["pose_1-3m_count"]);
        Assert.True(metrics["pose_3-8m_rotation_err_deg_median"] > 0.5 || metrics["pose_3-8m_distance_err_pct_median"] > 0.3);
        Assert.True(metrics.ContainsKey("pose_all_ref_rotation_err_deg_p90"));
    }

    [Fact]
    public void Ground_truth_without_pose_is_solved_from_its_corners()
    {
        var (image, exact) = Scene(3, 0);
        var stripped = image with { Annotations = image.Annotations.Select(a => a with { Pose = null }).ToList() };
        var r = new PoseEvaluation(Setup).Compute([stripped], exact);
        Assert.Equal(2, r.GroundTruthWithPose);
        Assert.All(r.Model, s => Assert.True(s.DistanceError < 1e-3));
    }

    private static PointF2 F(Point2d p) => new((float)p.X, (float)p.Y);
    private static PointF2 S(PointF2 p, double dx) => new((float)(p.X + dx), p.Y);
}
