using Microsoft.Extensions.Logging.Abstractions;
using NanoDet.Abstractions.Data;
using NanoDet.Abstractions.Plugins;
using NanoDet.Datasets.Common;
using NanoDet.Datasets.Xml;
using NanoDet.Inference.Errors;
using NanoDet.Inference.Geometry;

namespace NanoDet.Datasets.Tests;

/// <summary>VOC XML with points: parsing, ordering, clipping and every bad-input reason with file:line.</summary>
public class XmlDatasetTests
{
    private static readonly string[] Names = ["B_1", "R_1"];

    private static string Obj(string name, string box, string? points) =>
        $"<object><name>{name}</name>{(box.Length > 0 ? $"<bndbox>{box}</bndbox>" : "")}{points ?? ""}</object>";

    private static string Box(object x1, object y1, object x2, object y2) => $"<xmin>{x1}</xmin><ymin>{y1}</ymin><xmax>{x2}</xmax><ymax>{y2}</ymax>";

    private static string Pts(params object[] v) =>
        "<points>" + string.Concat(v.Select((x, i) => $"<{(i % 2 == 0 ? "x" : "y")}{i / 2 + 1}>{x}</{(i % 2 == 0 ? "x" : "y")}{i / 2 + 1}>")) + "</points>";

    private static string Doc(string file, int w, int h, params string[] objects) =>
        $"<annotation>\n<filename>{file}</filename>\n<size><width>{w}</width><height>{h}</height><depth>3</depth></size>\n{string.Join("\n", objects)}\n</annotation>\n";

    private static LoadedDataset Load(string root, BoxClipMode clip = BoxClipMode.Image, bool strict = false, PointOrder? order = null) =>
        XmlDataset.Load("t", Path.Combine(root, "images"), Path.Combine(root, "xml"), ClassTable.FromNames(Names), order ?? PointOrder.Canonical,
            new ObjectRules(clip), strict, false, NullLogger.Instance);

    [Fact]
    public void Reads_float_coordinates_corners_and_sorted_ids()
    {
        var root = TestFiles.NewTempDir("xml-ok");
        TestFiles.Image(Path.Combine(root, "images", "b.png"), 100, 80);
        TestFiles.Image(Path.Combine(root, "images", "a.png"), 100, 80);
        TestFiles.Text(Path.Combine(root, "xml", "b.xml"), Doc("b.png", 100, 80, Obj("R_1", Box(10.5, 20.25, 40, 60), Pts(10.5, 20.25, 11, 60, 40, 59.5, 39, 21))));
        TestFiles.Text(Path.Combine(root, "xml", "a.xml"), Doc("a.png", 100, 80));
        var ds = Load(root);
        Assert.Equal("t: 2 images, 1 objects, nothing skipped", ds.Report.Summary());
        Assert.Equal(["a.png", "b.png"], ds.Images.Select(r => r.FileName));
        Assert.Equal([1, 2], ds.Images.Select(r => r.Id));
        Assert.Empty(ds.Images[0].Annotations); // a pure negative is kept (docs/reference.md#images-without-objects)
        var a = ds.Images[1].Annotations.Single();
        Assert.Equal(1, a.Label);
        Assert.Equal(new Box(10.5f, 20.25f, 40, 60), a.Box);
        Assert.Equal(TestFiles.Quad(10.5f, 20.25f, 11, 60, 40, 59.5f, 39, 21), a.Points);
        Assert.Equal((100, 80), (ds.Images[1].Width, ds.Images[1].Height));
    }

    [Fact]
    public void Box_is_derived_from_the_corners_when_missing_and_point_order_is_mapped()
    {
        var root = TestFiles.NewTempDir("xml-derive");
        TestFiles.Image(Path.Combine(root, "images", "a.png"), 100, 80);
        // file lists TL, TR, BR, BL (clockwise)
        TestFiles.Text(Path.Combine(root, "xml", "a.xml"), Doc("a.png", 100, 80, Obj("B_1", "", Pts(10, 10, 50, 12, 48, 40, 12, 38))));
        var a = Load(root, order: PointOrder.Parse("tl_tr_br_bl")).Images.Single().Annotations.Single();
        Assert.Equal(TestFiles.Quad(10, 10, 12, 38, 48, 40, 50, 12), a.Points);
        Assert.Equal(new Box(10, 10, 50, 40), a.Box);
    }

    [Fact]
    public void Clipping_shrinks_the_box_unlike_the_reference_rule()
    {
        var root = TestFiles.NewTempDir("xml-clip");
        TestFiles.Image(Path.Combine(root, "images", "a.png"), 100, 80);
        TestFiles.Text(Path.Combine(root, "xml", "a.xml"), Doc("a.png", 100, 80, Obj("B_1", Box(-10, 5, 30, 50), Pts(-10, 5, -10, 50, 30, 50, 30, 5))));
        // corrected (docs/reference.md#box-clipping): clip x1..y2 to the image
        Assert.Equal(new Box(0, 5, 30, 50), Load(root).Images[0].Annotations[0].Box);
        // NanoDet: x = max(x1, 0), w = min(w, W) = 40 → the box is shifted right to [0, 40]
        Assert.Equal(new Box(0, 5, 40, 50), Load(root, BoxClipMode.Reference).Images[0].Annotations[0].Box);
    }

    [Fact]
    public void Every_bad_object_is_skipped_with_its_reason_and_line()
    {
        var root = TestFiles.NewTempDir("xml-bad");
        TestFiles.Image(Path.Combine(root, "images", "a.png"), 100, 80);
        var objects = new[]
        {
            Obj("B_1", Box(10, 10, 40, 40), Pts(10, 10, 10, 40, 40, 40, 40, 10)),                 // line 4: good
            Obj("G_9", Box(10, 10, 40, 40), Pts(10, 10, 10, 40, 40, 40, 40, 10)),                 // 5 unknown class
            Obj("B_1", Box(10, 10, 40, 40), null),                                               // 6 missing points
            Obj("B_1", Box(10, 10, 40, 40), "<points><x1>10</x1><y1>10</y1></points>"),         // 7 partial points
            Obj("B_1", Box(40, 10, 10, 40), Pts(10, 10, 10, 40, 40, 40, 40, 10)),                 // 8 non-positive box
            Obj("B_1", Box(10, 10, "NaN", 40), Pts(10, 10, 10, 40, 40, 40, 40, 10)),              // 9 non-finite
            Obj("B_1", Box(10, 10, "abc", 40), Pts(10, 10, 10, 40, 40, 40, 40, 10)),              // 10 invalid number
            Obj("B_1", Box(10, 10, 40, 40), Pts(10, 10, 10, 40, 40, 40, 95, 75)),                 // 11 points outside box
            Obj("B_1", Box(200, 10, 240, 40), Pts(200, 10, 200, 40, 240, 40, 240, 10)),           // 12 box outside image
            Obj("B_1", Box(10, 10, 10.5, 40), Pts(10, 10, 10, 40, 10.5, 40, 10.5, 10)),           // 13 box under 1 px
            Obj("B_1", "<xmin>1</xmin>", Pts(10, 10, 10, 40, 40, 40, 40, 10)),                    // 14 partial box
        };
        var file = TestFiles.Text(Path.Combine(root, "xml", "a.xml"), Doc("a.png", 100, 80, objects));
        var ds = Load(root);
        var shown = DisplayPath.Of(file);
        var expected = new (int Line, string Reason)[]
        {
            (5, SkipReasons.UnknownClass), (6, SkipReasons.MissingPoints), (7, SkipReasons.PartialPoints), (8, SkipReasons.NonPositiveBox),
            (9, SkipReasons.NonFinite), (10, SkipReasons.InvalidNumber), (11, SkipReasons.PointsOutsideBox), (12, SkipReasons.BoxOutsideImage),
            (13, SkipReasons.TinyBox), (14, SkipReasons.PartialBox),
        };
        Assert.Equal(expected.Select(e => ($"{shown}:{e.Line}", e.Reason)), ds.Report.Skipped.Select(s => (s.Location, s.Reason)));
        Assert.All(ds.Report.Skipped, s => Assert.False(s.WholeImage));
        Assert.Single(ds.Images.Single().Annotations);
        Assert.Contains("10 skipped", ds.Report.Summary());
    }

    [Fact]
    public void Bad_images_and_files_are_skipped_whole()
    {
        var root = TestFiles.NewTempDir("xml-img");
        TestFiles.Image(Path.Combine(root, "images", "ok.png"), 100, 80);
        TestFiles.Text(Path.Combine(root, "images", "broken.png"), "not an image");
        TestFiles.Text(Path.Combine(root, "secret.png"), "outside the image folder");
        TestFiles.Text(Path.Combine(root, "xml", "1-missing.xml"), Doc("nope.png", 100, 80));
        TestFiles.Text(Path.Combine(root, "xml", "2-broken.xml"), Doc("broken.png", 100, 80));
        TestFiles.Text(Path.Combine(root, "xml", "3-escape.xml"), Doc("../secret.png", 100, 80));
        TestFiles.Text(Path.Combine(root, "xml", "4-size.xml"), Doc("ok.png", 640, 480));
        TestFiles.Text(Path.Combine(root, "xml", "5-malformed.xml"), "<annotation>\n<filename>ok.png</filename>\n<size>\n</annotation>\n");
        TestFiles.Text(Path.Combine(root, "xml", "6-nofile.xml"), "<annotation><size/></annotation>");
        TestFiles.Text(Path.Combine(root, "xml", "7-ok.xml"), Doc("ok.png", 0, 0));
        var ds = Load(root);
        var reasons = ds.Report.Skipped.Select(s => s.Reason).ToArray();
        Assert.Equal([SkipReasons.MissingImage, SkipReasons.UnreadableImage, SkipReasons.PathEscapes, SkipReasons.ImageSizeMismatch,
            SkipReasons.MalformedFile, SkipReasons.MissingFileName], reasons);
        Assert.All(ds.Report.Skipped, s => Assert.True(s.WholeImage));
        // the malformed file is named with the line of the XML error (the stray </annotation> closing <size> on line 4)
        Assert.EndsWith("5-malformed.xml:4", ds.Report.Skipped[4].Location);
        // size 0 in the file = take it from the image header; ids keep the sorted file position
        var ok = Assert.Single(ds.Images);
        Assert.Equal(7, ok.Id);
        Assert.Equal((100, 80), (ok.Width, ok.Height));
    }

    [Fact]
    public void Strict_mode_stops_at_the_first_problem()
    {
        var root = TestFiles.NewTempDir("xml-strict");
        TestFiles.Image(Path.Combine(root, "images", "a.png"), 100, 80);
        TestFiles.Text(Path.Combine(root, "xml", "a.xml"), Doc("a.png", 100, 80, Obj("X", Box(1, 1, 9, 9), Pts(1, 1, 1, 9, 9, 9, 9, 1))));
        var e = Assert.Throws<InputDataException>(() => Load(root, strict: true));
        Assert.Matches(@"a\.xml:4: unknown class: 'X' is not in class_names", e.Message);
    }
}
