using Microsoft.Extensions.Logging.Abstractions;
using NanoDet.Datasets.Common;
using NanoDet.Datasets.YoloPoints;
using OpenCvSharp;

namespace NanoDet.Datasets.Tests;

/// <summary>
/// The five real frames (EclidFundgue/PyLabelRoboMaster, MIT; see Fixtures/armor-samples/README.md): YOLO-pose
/// lines with corners TL, BL, BR, TR. Checks the reader and that the corner order means what it says on real data.
/// </summary>
public class RealArmorSamplesTests
{
    private static readonly string[] SixteenClasses =
        ["BG", "B1", "B2", "B3", "B4", "B5", "BO", "BB", "RG", "R1", "R2", "R3", "R4", "R5", "RO", "RB"];

    private static LoadedDataset Load() => YoloPointsDataset.Load("real", Path.Combine(TestFiles.FixturesDir, "armor-samples", "images"),
        Path.Combine(TestFiles.FixturesDir, "armor-samples", "labels"), SixteenClasses, PointOrder.Canonical, TxtLayout.Auto, false,
        new ObjectRules(), false, NullLogger.Instance);

    [Fact]
    public void All_five_frames_read_as_blue_outpost_with_consistent_corners()
    {
        var ds = Load();
        Assert.Equal("real: 5 images, 5 objects, nothing skipped", ds.Report.Summary());
        foreach (var r in ds.Images)
        {
            Assert.Equal((1280, 1024), (r.Width, r.Height));
            var a = r.Annotations.Single();
            Assert.Equal("BO", ds.Classes.Names[a.Label]);
            var q = a.Points!.Value;
            // TL, BL on the left light bar; BR, TR on the right one; tops above bottoms
            Assert.True(q.Tl.X < q.Tr.X && q.Tl.X < q.Br.X && q.Bl.X < q.Br.X && q.Bl.X < q.Tr.X, $"{r.FileName}: {q}");
            Assert.True(q.Tl.Y < q.Bl.Y && q.Tr.Y < q.Br.Y, $"{r.FileName}: {q}");
            // these labels' boxes are the corners' bounding rectangles
            var b = q.Bounds();
            Assert.Equal(b.X1, a.Box.X1, 1.5f);
            Assert.Equal(b.Y1, a.Box.Y1, 1.5f);
            Assert.Equal(b.X2, a.Box.X2, 1.5f);
            Assert.Equal(b.Y2, a.Box.Y2, 1.5f);
        }
        // 00.txt: TL = (0.44953·1280, 0.20690·1024)
        Assert.Equal(575.398f, ds.Images[0].Annotations[0].Points!.Value.Tl.X, 0.01f);
        Assert.Equal(211.862f, ds.Images[0].Annotations[0].Points!.Value.Tl.Y, 0.01f);
    }

    [Fact]
    public void The_corners_sit_on_the_glowing_light_bars()
    {
        // the light bars are the brightest, most saturated blue in the frame: each labelled corner is within a few
        // pixels of strongly blue pixels, the plate centre between the bars is not
        foreach (var r in Load().Images)
        {
            using var img = Cv2.ImRead(r.Path);
            var q = r.Annotations[0].Points!.Value;
            for (int k = 0; k < 4; k++)
                Assert.True(MaxBlue(img, q[k].X, q[k].Y, 6) > 200, $"{r.FileName} corner {k + 1} is not on a light bar");
        }
    }

    private static int MaxBlue(Mat img, float x, float y, int radius)
    {
        int best = 0;
        for (int dy = -radius; dy <= radius; dy++)
            for (int dx = -radius; dx <= radius; dx++)
            {
                var v = img.At<Vec3b>((int)y + dy, (int)x + dx);
                best = Math.Max(best, v.Item0 - v.Item2 / 2); // blue, minus some red so white walls do not count
            }
        return best;
    }
}
