using Microsoft.Extensions.Logging.Abstractions;
using NanoDet.Abstractions.Data;
using NanoDet.Datasets.Common;
using NanoDet.Datasets.YoloPoints;
using NanoDet.Inference.Errors;
using NanoDet.Inference.Geometry;

namespace NanoDet.Datasets.Tests;

/// <summary>One txt per image: SJTU 9-number and YOLO-pose 13/17-number lines, corner orders, bad input with line numbers.</summary>
public class YoloPointsDatasetTests
{
    private static readonly string[] Names = ["B_1", "R_1", "B_2"];

    private static LoadedDataset Load(string root, TxtLayout layout = TxtLayout.Auto, PointOrder? order = null, bool allowUnlabeled = false,
        IReadOnlyList<string>? names = null) =>
        YoloPointsDataset.Load("t", Path.Combine(root, "images"), Path.Combine(root, "labels"), names ?? Names, order ?? PointOrder.Canonical,
            layout, allowUnlabeled, new ObjectRules(), false, NullLogger.Instance);

    private static string Root(params (string Name, string? Label)[] files)
    {
        var root = TestFiles.NewTempDir("txt");
        foreach (var (name, label) in files)
        {
            TestFiles.Image(Path.Combine(root, "images", name + ".png"), 200, 100);
            if (label is not null) TestFiles.Text(Path.Combine(root, "labels", name + ".txt"), label);
        }
        Directory.CreateDirectory(Path.Combine(root, "labels"));
        return root;
    }

    // corners TL(20,10) BL(20,50) BR(100,60) TR(100,20) in a 200x100 image, normalised
    private const string Sjtu = "1 0.1 0.1 0.1 0.5 0.5 0.6 0.5 0.2";
    private const string Pose13 = "1 0.3 0.35 0.4 0.5 0.1 0.1 0.1 0.5 0.5 0.6 0.5 0.2";
    private const string Pose17 = "1 0.3 0.35 0.4 0.5 0.1 0.1 2 0.1 0.5 2 0.5 0.6 1 0.5 0.2 2";
    private static readonly Quad Expected = TestFiles.Quad(20, 10, 20, 50, 100, 60, 100, 20);

    [Fact]
    public void Each_layout_is_read_and_detected_per_file()
    {
        var ds = Load(Root(("a", Sjtu + "\n"), ("b", Pose13 + "\n"), ("c", Pose17 + "\n")));
        Assert.Empty(ds.Report.Skipped);
        foreach (var r in ds.Images)
        {
            var a = r.Annotations.Single();
            Assert.Equal(1, a.Label);
            Assert.Equal(Expected, a.Points);
        }
        Assert.Equal(new Box(20, 10, 100, 60), ds.Images[0].Annotations[0].Box);   // SJTU: bounds of the corners
        Assert.Equal(new Box(20, 10, 100, 60), ds.Images[1].Annotations[0].Box);   // pose: cx ± w/2
        Assert.Equal([1, 2, 3], ds.Images.Select(r => r.Id));
    }

    [Fact]
    public void Clockwise_files_are_mapped_to_the_internal_order()
    {
        // same plate written TL, TR, BR, BL
        var ds = Load(Root(("a", "1 0.1 0.1 0.5 0.2 0.5 0.6 0.1 0.5\n")), order: PointOrder.Clockwise);
        Assert.Equal(Expected, ds.Images[0].Annotations[0].Points);
        var idx = Load(Root(("a", "1 0.1 0.1 0.5 0.2 0.5 0.6 0.1 0.5\n")), order: PointOrder.Parse("0,3,2,1"));
        Assert.Equal(Expected, idx.Images[0].Annotations[0].Points);
    }

    [Fact]
    public void Forced_layout_rejects_other_counts()
    {
        var ds = Load(Root(("a", Pose13 + "\n")), TxtLayout.Sjtu);
        var s = Assert.Single(ds.Report.Skipped);
        Assert.Equal(SkipReasons.WrongNumberCount, s.Reason);
        Assert.Contains("13 numbers, expected 9", s.Detail);
    }

    [Fact]
    public void Bad_lines_are_skipped_with_file_and_line()
    {
        var label = string.Join("\n",
            Sjtu,                                        // 1 ok
            "",                                          // 2 blank: ignored
            "7 0.1 0.1 0.1 0.5 0.5 0.6 0.5 0.2",         // 3 unknown class
            "1.5 0.1 0.1 0.1 0.5 0.5 0.6 0.5 0.2",       // 4 class id not an integer
            "1 0.1 0.1 0.1 0.5 0.5 0.6 0.5",             // 5 wrong count
            "1 0.1 0.1 0.1 1.5 0.5 0.6 0.5 0.2",         // 6 out of range
            "1 0.1 0.1 0.1 nan 0.5 0.6 0.5 0.2",         // 7 non-finite
            "1 0.1 0.1 0.1 x 0.5 0.6 0.5 0.2",           // 8 invalid number
            "1 0.1 0.1 0.1 0.1 0.1 0.1 0.1 0.1",         // 9 all corners in one place: non-positive box
            "# a comment",                               // 10 ignored
            "1 0.3 0.35 0.4 0.5 0.1 0.1 0.1 0.5 0.5 0.6 0.5 0.2") + "\n"; // 11: 13 numbers in a 9-number file
        var root = Root(("a", label), ("b", null));
        TestFiles.Text(Path.Combine(root, "labels", "orphan.txt"), Sjtu);
        TestFiles.Text(Path.Combine(root, "labels", "c.txt"), "1 0.3 0.35 0.4 0.5 0.1 0.1 0 0.1 0.5 2 0.5 0.6 2 0.5 0.2 2\n");
        TestFiles.Image(Path.Combine(root, "images", "c.png"), 200, 100);
        var ds = Load(root);
        var labels = DisplayPath.Of(Path.Combine(root, "labels"));
        var images = DisplayPath.Of(Path.Combine(root, "images"));
        var expected = new (string At, string Reason)[]
        {
            ($"{images}/b.png", SkipReasons.ImageWithoutLabel),
            ($"{labels}/a.txt:3", SkipReasons.UnknownClass), ($"{labels}/a.txt:4", SkipReasons.UnknownClass),
            ($"{labels}/a.txt:5", SkipReasons.WrongNumberCount), ($"{labels}/a.txt:6", SkipReasons.CornerBeyondMargin),
            ($"{labels}/a.txt:7", SkipReasons.NonFinite), ($"{labels}/a.txt:8", SkipReasons.InvalidNumber),
            ($"{labels}/a.txt:9", SkipReasons.NonPositiveBox), ($"{labels}/a.txt:11", SkipReasons.WrongNumberCount),
            ($"{labels}/c.txt:1", SkipReasons.PartialPoints),
            ($"{labels}/orphan.txt", SkipReasons.LabelWithoutImage),
        };
        Assert.Equal(expected, ds.Report.Skipped.Select(s => (s.Location, s.Reason)));
        Assert.Equal(["a.png", "c.png"], ds.Images.Select(r => r.FileName));
        Assert.Single(ds.Images[0].Annotations);
        Assert.Empty(ds.Images[1].Annotations);
    }

    [Fact]
    public void Unlabelled_images_can_be_negatives_and_empty_files_are_negatives()
    {
        var ds = Load(Root(("a", null), ("b", "")), allowUnlabeled: true);
        Assert.Empty(ds.Report.Skipped);
        Assert.Equal(2, ds.Images.Count);
        Assert.All(ds.Images, r => Assert.Empty(r.Annotations));
    }

    [Fact]
    public void Class_names_come_from_classes_txt_when_not_configured()
    {
        var root = Root(("a", "0 0.1 0.1 0.1 0.5 0.5 0.6 0.5 0.2\n"));
        TestFiles.Text(Path.Combine(root, "labels", "classes.txt"), "armor_a\narmor_b\n");
        var ds = YoloPointsDataset.Load("t", Path.Combine(root, "images"), Path.Combine(root, "labels"), null, PointOrder.Canonical,
            TxtLayout.Auto, false, new ObjectRules(), false, NullLogger.Instance);
        Assert.Equal(["armor_a", "armor_b"], ds.Classes.Names);
        Assert.Empty(ds.Report.Skipped); // classes.txt is not an orphan label
        Assert.Equal(ArmorClassScheme.SeedNames.Count, YoloPointsDataset.ClassNames(null, Path.Combine(root, "images")).Count);
    }

    [Fact]
    public void Default_label_folder_follows_the_yolo_convention()
    {
        Assert.Equal(Path.GetFullPath("/d/set/labels"), YoloPointsDatasetOptions.DefaultLabelFolder("/d/set/images"));
        Assert.Equal(Path.GetFullPath("/d/set/pics"), YoloPointsDatasetOptions.DefaultLabelFolder("/d/set/pics"));
    }
}
