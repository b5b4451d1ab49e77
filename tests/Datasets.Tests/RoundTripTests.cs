using Microsoft.Extensions.Logging.Abstractions;
using NanoDet.Abstractions.Data;
using NanoDet.Datasets.Coco;
using NanoDet.Datasets.Common;
using NanoDet.Datasets.Xml;
using NanoDet.Datasets.YoloPoints;
using NanoDet.Inference.Errors;
using NanoDet.Inference.Geometry;

namespace NanoDet.Datasets.Tests;

/// <summary>XML ↔ COCO ↔ txt give identical annotations for the same data (writers and readers together).</summary>
public class RoundTripTests
{
    private static readonly string[] Names = ["B_1", "R_3", "P_Bb"];

    /// <summary>Awkward floats on purpose: values whose float sums and quotients are not exact.</summary>
    private static IReadOnlyList<ImageRecord> Records(string imageDir)
    {
        TestFiles.Image(Path.Combine(imageDir, "a.png"), 333, 217);
        TestFiles.Image(Path.Combine(imageDir, "sub", "b.jpg"), 640, 480);
        TestFiles.Image(Path.Combine(imageDir, "c.png"), 64, 64);
        Quad Q(float x, float y, float w, float h, float skew) => TestFiles.Quad(x, y, x - skew, y + h, x + w, y + h + skew, x + w + skew, y - skew);
        Annotation A(int label, Quad q) => new(label, q.Bounds(), q);
        // in sorted file-name order, as every reader returns them
        return
        [
            new(1, "a.png", Path.Combine(imageDir, "a.png"), 333, 217, [A(0, Q(10.1f, 20.7f, 100.3f, 40.9f, 1.7f)), A(2, Q(200.33333f, 100.1f, 99.9f, 50.05f, 0.3f))]),
            new(2, "c.png", Path.Combine(imageDir, "c.png"), 64, 64, []),
            new(3, "sub/b.jpg", Path.Combine(imageDir, "sub", "b.jpg"), 640, 480, [A(1, Q(0.1f, 0.2f, 639.7f, 479.6f, 0.05f))]),
        ];
    }

    private static void SameAnnotations(IReadOnlyList<ImageRecord> expected, IReadOnlyList<ImageRecord> actual)
    {
        Assert.Equal(expected.Select(r => (r.FileName, r.Width, r.Height)), actual.Select(r => (r.FileName, r.Width, r.Height)));
        for (int i = 0; i < expected.Count; i++)
        {
            var e = expected[i].Annotations;
            var a = actual[i].Annotations;
            Assert.Equal(e.Select(x => (x.Label, x.Box, x.Points, x.IsCrowd, x.EvalArea)), a.Select(x => (x.Label, x.Box, x.Points, x.IsCrowd, x.EvalArea)));
        }
    }

    [Theory]
    [InlineData("tl_bl_br_tr")]
    [InlineData("tl_tr_br_bl")]
    public void Xml_coco_txt_and_back_are_exact(string order)
    {
        var root = TestFiles.NewTempDir("roundtrip");
        var images = Path.Combine(root, "images");
        var original = Records(images);
        var classes = ClassTable.FromNames(Names);
        var po = PointOrder.Parse(order);
        var rules = new ObjectRules();

        new XmlAnnotationWriter(po).Write(classes, original, Path.Combine(root, "xml"));
        var fromXml = XmlDataset.Load("x", images, Path.Combine(root, "xml"), classes, po, rules, true, false, NullLogger.Instance);
        SameAnnotations(original, fromXml.Images);

        new CocoAnnotationWriter(po).Write(fromXml.Classes, fromXml.Images, Path.Combine(root, "a.json"));
        var fromCoco = CocoDataset.Load("c", images, Path.Combine(root, "a.json"), null, po, rules, true, NullLogger.Instance);
        Assert.Equal(Names, fromCoco.Classes.Names);
        SameAnnotations(original, fromCoco.Images);

        new YoloPointsWriter(po, TxtLayout.Sjtu).Write(fromCoco.Classes, fromCoco.Images, Path.Combine(root, "labels"));
        var fromTxt = YoloPointsDataset.Load("t", images, Path.Combine(root, "labels"), null, po, TxtLayout.Auto, false, rules, true, NullLogger.Instance);
        Assert.Equal(Names, fromTxt.Classes.Names); // via classes.txt
        SameAnnotations(original, fromTxt.Images);

        new XmlAnnotationWriter(PointOrder.Canonical).Write(fromTxt.Classes, fromTxt.Images, Path.Combine(root, "xml2"));
        var back = XmlDataset.Load("x", images, Path.Combine(root, "xml2"), classes, PointOrder.Canonical, rules, true, false, NullLogger.Instance);
        SameAnnotations(original, back.Images);
        // the canonical XML written from the round trip equals the one written directly
        new XmlAnnotationWriter(PointOrder.Canonical).Write(classes, original, Path.Combine(root, "xml3"));
        Assert.Equal(File.ReadAllText(Path.Combine(root, "xml3", "a.xml")), File.ReadAllText(Path.Combine(root, "xml2", "a.xml")));
    }

    [Fact]
    public void Yolo_pose_layouts_round_trip_to_float_precision()
    {
        var root = TestFiles.NewTempDir("roundtrip-pose");
        var images = Path.Combine(root, "images");
        var original = Records(images);
        foreach (var layout in new[] { TxtLayout.Pose13, TxtLayout.Pose17 })
        {
            var dir = Path.Combine(root, layout.ToString());
            new YoloPointsWriter(PointOrder.Canonical, layout).Write(ClassTable.FromNames(Names), original, dir);
            var read = YoloPointsDataset.Load("t", images, dir, null, PointOrder.Canonical, TxtLayout.Auto, false, new ObjectRules(), true, NullLogger.Instance);
            for (int i = 0; i < original.Count; i++)
                for (int j = 0; j < original[i].Annotations.Count; j++)
                {
                    var e = original[i].Annotations[j];
                    var a = read.Images[i].Annotations[j];
                    Assert.Equal(e.Points, a.Points); // corners are written exactly as in SJTU
                    Assert.Equal(e.Box.X1, a.Box.X1, 1e-3f); // the box goes through cx ± w/2
                    Assert.Equal(e.Box.Y2, a.Box.Y2, 1e-3f);
                }
        }
    }

    [Fact]
    public void Crowd_regions_survive_xml_and_coco_but_not_txt()
    {
        var root = TestFiles.NewTempDir("roundtrip-crowd");
        var images = Path.Combine(root, "images");
        TestFiles.Image(Path.Combine(images, "a.png"), 100, 100);
        var rec = new ImageRecord(1, "a.png", Path.Combine(images, "a.png"), 100, 100,
            [new Annotation(0, new Box(10, 10, 50, 50), null, IsCrowd: true, Area: 1234.5f)]);
        var classes = ClassTable.FromNames(Names);
        new XmlAnnotationWriter(PointOrder.Canonical).Write(classes, [rec], Path.Combine(root, "xml"));
        var x = XmlDataset.Load("x", images, Path.Combine(root, "xml"), classes, PointOrder.Canonical, new ObjectRules(), true, false, NullLogger.Instance);
        Assert.True(x.Images[0].Annotations[0].IsCrowd);
        new CocoAnnotationWriter(PointOrder.Canonical).Write(classes, [rec], Path.Combine(root, "a.json"));
        var c = CocoDataset.Load("c", images, Path.Combine(root, "a.json"), null, PointOrder.Canonical, new ObjectRules(), true, NullLogger.Instance);
        Assert.Equal(1234.5f, c.Images[0].Annotations[0].EvalArea);
        Assert.Equal(0, new YoloPointsWriter(PointOrder.Canonical, TxtLayout.Sjtu).Write(classes, [rec], Path.Combine(root, "labels")));
    }
}
