using Microsoft.Extensions.Logging.Abstractions;
using NanoDet.Datasets.Coco;
using NanoDet.Datasets.Common;
using NanoDet.Datasets.Synthetic;
using NanoDet.Inference.Errors;
using NanoDet.Inference.Geometry;
using NanoDet.Inference.Pose;

namespace NanoDet.Datasets.Tests.Pose;

/// <summary>The generator's pinhole mode: true poses whose projections are the labelled corners; screen mode unchanged.</summary>
public class PinholeSyntheticTests
{
    private static ArmorGeneratorSettings Settings(Action<SyntheticArmorOptions>? tweak = null)
    {
        var o = new SyntheticArmorOptions
        {
            Count = 8, Seed = 3, Split = "val", ImageSize = [640, 512], Projection = "pinhole", NegativeFraction = 0,
            ClassNames = ["B_1", "B_2", "B_3", "R_1", "R_2", "R_3"],
        };
        tweak?.Invoke(o);
        return ArmorGeneratorSettings.From(o, "data:val");
    }

    [Fact]
    public void Labelled_corners_are_the_projections_of_the_true_pose()
    {
        var s = Settings();
        Assert.NotNull(s.Camera);
        Assert.Equal(CameraModel.DefaultFocal / 2, s.Camera.Fx, 9); // 1280x1024 camera at 640x512
        int plates = 0;
        for (int i = 0; i < s.Count; i++)
        {
            var (img, objects) = SyntheticGenerator.RenderOne(s, i);
            img.Dispose();
            foreach (var a in objects)
            {
                plates++;
                var truth = Assert.NotNull(a.Pose);
                Assert.InRange(truth.Distance, 1, 8);
                var (w, h) = s.Plates.SizeOf(s.ClassNames[a.Label]);
                var image = PlatePoseSolver.Project(truth, PlateGeometry.ObjectPoints(w, h), s.Camera);
                for (int k = 0; k < 4; k++)
                {
                    Assert.Equal(image[k].X, a.Points!.Value[k].X, 0.001);
                    Assert.Equal(image[k].Y, a.Points!.Value[k].Y, 0.001);
                }
                var solved = Assert.NotNull(PlatePoseSolver.Solve(a.Points!.Value, w, h, s.Camera));
                Assert.True(Math.Abs(solved.Distance - truth.Distance) < 0.002 * truth.Distance);
            }
        }
        Assert.True(plates >= 8, $"only {plates} plates in {s.Count} images");
    }

    [Fact]
    public void Poses_and_camera_are_written_and_read_back()
    {
        var root = TestFiles.NewTempDir("pinhole");
        var s = Settings();
        var folder = Path.Combine(root, "set");
        SyntheticGenerator.Generate(s, folder, 2, NullLogger.Instance);
        var camera = CameraCalibrationFile.Read(Path.Combine(folder, SyntheticGenerator.CameraFile));
        Assert.Equal(s.Camera!.Fx, camera.Fx, 9);
        Assert.Equal((640, 512), (camera.Width, camera.Height));

        var ds = CocoDataset.Load("t", Path.Combine(folder, SyntheticGenerator.ImagesFolder), Path.Combine(folder, SyntheticGenerator.AnnotationsFile),
            s.ClassNames, PointOrder.Canonical, new ObjectRules(), true, NullLogger.Instance);
        var annotations = ds.Images.SelectMany(r => r.Annotations).ToArray();
        Assert.NotEmpty(annotations);
        for (int i = 0; i < s.Count; i++)
        {
            var (img, expected) = SyntheticGenerator.RenderOne(s, i);
            img.Dispose();
            var read = ds.Images[i].Annotations;
            Assert.Equal(expected.Count, read.Count);
            for (int j = 0; j < read.Count; j++)
            {
                Assert.Equal(expected[j].Pose!.Value.Rvec, read[j].Pose!.Value.Rvec);
                Assert.Equal(expected[j].Pose!.Value.Tvec, read[j].Pose!.Value.Tvec);
            }
        }
    }

    [Fact]
    public void Screen_mode_keeps_its_settings_line_and_has_no_poses()
    {
        var s = Settings(o => o.Projection = "screen");
        Assert.Null(s.Camera);
        Assert.DoesNotContain("camera=", s.Describe());
        Assert.Contains("camera=", Settings().Describe());
        var (img, objects) = SyntheticGenerator.RenderOne(s, 0);
        img.Dispose();
        Assert.All(objects, a => Assert.Null(a.Pose));
    }
}
