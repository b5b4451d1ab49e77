using Microsoft.Extensions.Logging.Abstractions;
using NanoDet.Abstractions.Data;
using NanoDet.Abstractions.Plugins;
using NanoDet.Datasets.Coco;
using NanoDet.Datasets.Common;
using NanoDet.Datasets.Pipeline;
using NanoDet.Datasets.Xml;
using NanoDet.Datasets.YoloPoints;
using NanoDet.Inference.Errors;
using NanoDet.Inference.Geometry;
using OpenCvSharp;

namespace NanoDet.Datasets.Tests;

/// <summary>
/// Plates cut by the frame edge: labelled corners slightly outside the image (normalised −0.03 and 1.03 here) load
/// from every format with the box clipped to the image, are skipped beyond the border margin, and keep their true
/// places through the warp and a horizontal flip.
/// </summary>
public class BorderPlateTests
{
    // A 200×100 image; the plate's left corners at x = −6 (−0.03), right corners at x = 206 (1.03).
    private static readonly Quad Cut = TestFiles.Quad(-6, 10, -6, 50, 206, 60, 206, 20);
    private static readonly Box Clipped = new(0, 10, 200, 60);

    private static LoadedDataset Load(string format, double margin = ObjectRules.DefaultBorderMargin, bool beyond = false)
    {
        var root = TestFiles.NewTempDir("border-" + format);
        var images = Path.Combine(root, "images");
        TestFiles.Image(Path.Combine(images, "a.png"), 200, 100);
        var rules = new ObjectRules(BorderMargin: margin);
        float far = beyond ? -40 : -6;   // −0.2 of the width: beyond the default margin
        switch (format)
        {
            case "txt":
                TestFiles.Text(Path.Combine(root, "labels", "a.txt"),
                    $"1 {far / 200:0.###} 0.1 {far / 200:0.###} 0.5 1.03 0.6 1.03 0.2\n");
                return YoloPointsDataset.Load("t", images, Path.Combine(root, "labels"), ["B_1", "R_1"], PointOrder.Canonical,
                    TxtLayout.Auto, false, rules, false, NullLogger.Instance);
            case "xml":
                TestFiles.Text(Path.Combine(root, "xml", "a.xml"),
                    "<annotation><filename>a.png</filename><size><width>200</width><height>100</height><depth>3</depth></size>" +
                    $"<object><name>R_1</name><bndbox><xmin>{far}</xmin><ymin>10</ymin><xmax>206</xmax><ymax>60</ymax></bndbox>" +
                    $"<points><x1>{far}</x1><y1>10</y1><x2>{far}</x2><y2>50</y2><x3>206</x3><y3>60</y3><x4>206</x4><y4>20</y4></points></object></annotation>");
                return XmlDataset.Load("t", images, Path.Combine(root, "xml"), ClassTable.FromNames(["B_1", "R_1"]), PointOrder.Canonical,
                    rules, false, false, NullLogger.Instance);
            default:
                var file = TestFiles.Text(Path.Combine(root, "ann.json"),
                    """{"images": [{"id": 1, "file_name": "a.png", "width": 200, "height": 100}], "categories": [{"id": 1, "name": "B_1"}, {"id": 2, "name": "R_1"}],""" +
                    $$"""
                     "annotations": [{"id": 1, "image_id": 1, "category_id": 2, "bbox": [{{far}}, 10, {{206 - far}}, 50], "points": [{{far}}, 10, {{far}}, 50, 206, 60, 206, 20]}]}
                    """);
                return CocoDataset.Load("t", images, file, null, PointOrder.Canonical, rules, false, NullLogger.Instance);
        }
    }

    [Theory]
    [InlineData("txt")]
    [InlineData("xml")]
    [InlineData("coco")]
    public void A_border_plate_loads_with_its_outside_corners_and_a_clipped_box(string format)
    {
        var ds = Load(format);
        Assert.True(ds.Report.Skipped.Count == 0, TestFiles.Describe(ds.Report));
        var a = Assert.Single(Assert.Single(ds.Images).Annotations);
        Assert.Equal(1, a.Label);
        AssertQuad(Cut, a.Points!.Value);
        Assert.Equal(Clipped, a.Box);
    }

    [Theory]
    [InlineData("txt")]
    [InlineData("xml")]
    [InlineData("coco")]
    public void A_corner_beyond_the_border_margin_is_skipped_with_its_reason(string format)
    {
        var ds = Load(format, beyond: true);
        var skip = Assert.Single(ds.Report.Skipped);
        Assert.Equal(SkipReasons.CornerBeyondMargin, skip.Reason);
        Assert.Empty(Assert.Single(ds.Images).Annotations);
        // a wider margin keeps it; a negative margin turns the check off
        Assert.Empty(Load(format, margin: 0.25, beyond: true).Report.Skipped);
        Assert.Empty(Load(format, margin: -1, beyond: true).Report.Skipped);
    }

    [Fact]
    public void Warp_and_flip_keep_the_outside_corners_in_place()
    {
        var record = new ImageRecord(1, "a.png", "/nowhere/a.png", 200, 100, [new Annotation(1, Clipped, Cut)]);
        using var img = new Mat(100, 200, MatType.CV_8UC3, Scalar.All(0));

        // resize to 100×50: every coordinate halves, the outside ones included
        var half = new NanoDetSamplePipeline(new InputSpec(100, 50, false), new PipelineSettings()).Prepare(img, record, null).Targets.Single();
        AssertQuad(TestFiles.Quad(-3, 5, -3, 25, 103, 30, 103, 10), half.Points!.Value);
        Assert.Equal(new Box(0, 5, 100, 30), half.Box);

        // a horizontal flip mirrors x → 200 − x and relabels (TL ↔ TR, BL ↔ BR): still a border plate
        var pipeline = new NanoDetSamplePipeline(new InputSpec(200, 100, false), new PipelineSettings());
        var flipped = pipeline.Prepare(img, record, ShapeDraw.Identity with { Flip = true }, null).Targets.Single();
        AssertQuad(TestFiles.Quad(-6, 20, -6, 60, 206, 50, 206, 10), flipped.Points!.Value);
        Assert.Equal(Clipped, flipped.Box);
    }

    private static void AssertQuad(Quad expected, Quad actual)
    {
        var e = expected.ToArray();
        var a = actual.ToArray();
        for (int i = 0; i < 8; i++) Assert.True(Math.Abs(e[i] - a[i]) < 1e-3, $"expected {expected}, got {actual}");
    }
}
