using Microsoft.Extensions.Logging.Abstractions;
using NanoDet.Abstractions.Data;
using NanoDet.Abstractions.Plugins;
using NanoDet.Datasets.Coco;
using NanoDet.Datasets.Common;
using NanoDet.Inference.Errors;
using NanoDet.Inference.Geometry;

namespace NanoDet.Datasets.Tests;

/// <summary>COCO with points or keypoints, crowd and area, bad entries, malformed JSON.</summary>
public class CocoDatasetTests
{
    private static string Setup(string json, out string file)
    {
        var root = TestFiles.NewTempDir("coco");
        TestFiles.Image(Path.Combine(root, "images", "a.png"), 100, 80);
        TestFiles.Image(Path.Combine(root, "images", "b.png"), 100, 80);
        file = TestFiles.Text(Path.Combine(root, "ann.json"), json);
        return root;
    }

    private static LoadedDataset Load(string root, string file, IReadOnlyList<string>? names = null, PointOrder? order = null) =>
        CocoDataset.Load("t", Path.Combine(root, "images"), file, names, order ?? PointOrder.Canonical, new ObjectRules(), false, NullLogger.Instance);

    private const string Images = """
        "images": [{"id": 7, "file_name": "a.png", "width": 100, "height": 80}, {"id": 3, "file_name": "b.png", "width": 100, "height": 80}],
        "categories": [{"id": 5, "name": "R_1"}, {"id": 2, "name": "B_1"}]
        """;

    [Fact]
    public void Reads_points_keypoints_crowd_and_area()
    {
        var root = Setup($$"""
            { {{Images}},
              "annotations": [
                {"id": 1, "image_id": 7, "category_id": 5, "bbox": [10, 10, 30, 20], "area": 450.5, "iscrowd": 0, "points": [10, 10, 10, 30, 40, 30, 40, 10]},
                {"id": 2, "image_id": 7, "category_id": 2, "bbox": [50, 10, 20, 20], "keypoints": [50, 10, 50, 30, 70, 30, 70, 10]},
                {"id": 3, "image_id": 3, "category_id": 2, "bbox": [5, 5, 10, 10], "keypoints": [5, 5, 2, 5, 15, 2, 15, 15, 1, 15, 5, 2]},
                {"id": 4, "image_id": 3, "category_id": 5, "bbox": [60, 40, 30, 30], "iscrowd": 1},
                {"id": 5, "image_id": 3, "category_id": 5, "bbox": [20, 40, 30, 30], "ignore": 1, "points": [20, 40, 20, 70, 50, 70, 50, 40]}
              ] }
            """, out var file);
        var ds = Load(root, file);
        // class table = categories sorted by id (NanoDet), so B_1 (id 2) is label 0
        Assert.Equal(["B_1", "R_1"], ds.Classes.Names);
        Assert.Equal([2, 5], ds.Classes.CategoryIds);
        Assert.Equal([3, 7], ds.Images.Select(r => r.Id));
        var a = ds.Images[1].Annotations;
        Assert.Equal(new Annotation(1, new Box(10, 10, 40, 30), TestFiles.Quad(10, 10, 10, 30, 40, 30, 40, 10), false, 450.5f), a[0]);
        Assert.Equal(450.5f, a[0].EvalArea);
        Assert.Equal(TestFiles.Quad(50, 10, 50, 30, 70, 30, 70, 10), a[1].Points);
        var b = ds.Images[0].Annotations;
        Assert.Equal(TestFiles.Quad(5, 5, 5, 15, 15, 15, 15, 5), b[0].Points); // (x, y, v) triplets
        Assert.True(b[1].IsCrowd);
        Assert.Null(b[1].Points);        // a crowd region needs no corners
        Assert.True(b[2].IsCrowd);       // "ignore" counts as crowd (official handling)
        Assert.Empty(ds.Report.Skipped);
    }

    [Fact]
    public void Configured_class_names_map_categories_by_name()
    {
        var root = Setup($$"""
            { {{Images}}, "annotations": [{"id": 1, "image_id": 7, "category_id": 5, "bbox": [10, 10, 30, 20], "points": [10, 10, 10, 30, 40, 30, 40, 10]}] }
            """, out var file);
        var ds = Load(root, file, ["R_1", "B_1", "P_1"]);
        Assert.Equal(0, ds.Images[1].Annotations[0].Label);
        Assert.Equal([5, 2, 6], ds.Classes.CategoryIds); // P_1 is not in the file: a fresh id
    }

    [Fact]
    public void Bad_entries_are_skipped_with_their_index()
    {
        var root = Setup($$"""
            { "images": [{"id": 7, "file_name": "a.png", "width": 100, "height": 80}, {"id": 7, "file_name": "b.png"}, {"file_name": "b.png"},
                         {"id": 8, "file_name": "../x.png"}, {"id": 9, "file_name": "missing.png"}],
              "categories": [{"id": 2, "name": "B_1"}],
              "annotations": [
                {"image_id": 7, "category_id": 2, "bbox": [10, 10, 30, 20], "points": [10, 10, 10, 30, 40, 30, 40, 10]},
                {"image_id": 7, "category_id": 9, "bbox": [10, 10, 30, 20], "points": [10, 10, 10, 30, 40, 30, 40, 10]},
                {"image_id": 70, "category_id": 2, "bbox": [10, 10, 30, 20], "points": [10, 10, 10, 30, 40, 30, 40, 10]},
                {"image_id": 7, "category_id": 2, "bbox": [10, 10, 30], "points": [10, 10, 10, 30, 40, 30, 40, 10]},
                {"image_id": 7, "category_id": 2, "bbox": [10, 10, 30, 20], "points": [10, 10, 10, 30, 40, 30]},
                {"image_id": 7, "category_id": 2, "bbox": [10, 10, 30, 20], "keypoints": [10, 10, 2, 10, 30, 0, 40, 30, 2, 40, 10, 2]},
                {"image_id": 7, "category_id": 2, "bbox": [10, 10, 30, 20], "points": [10, 10, 10, 30, 40, 30, 40, "x"]},
                {"image_id": 7, "category_id": 2, "bbox": [10, 10, 0, 20], "points": [10, 10, 10, 30, 10, 30, 10, 10]},
                {"image_id": 7, "category_id": 2, "bbox": [10, 10, 30, 20], "area": 0, "points": [10, 10, 10, 30, 40, 30, 40, 10]},
                {"image_id": 7, "category_id": 2, "bbox": [10, 10, 30, 20]},
                {"image_id": 9, "category_id": 2, "bbox": [10, 10, 30, 20], "points": [10, 10, 10, 30, 40, 30, 40, 10]}
              ] }
            """, out var file);
        var ds = Load(root, file);
        var shown = DisplayPath.Of(file);
        var expected = new (string At, string Reason)[]
        {
            ("annotations[1]", SkipReasons.UnknownClass), ("annotations[2]", SkipReasons.UnknownImageId), ("annotations[3]", SkipReasons.WrongNumberCount),
            ("annotations[4]", SkipReasons.PartialPoints), ("annotations[5]", SkipReasons.PartialPoints), ("annotations[6]", SkipReasons.InvalidNumber),
            ("annotations[7]", SkipReasons.NonPositiveBox), ("annotations[8]", SkipReasons.NonPositiveArea), ("annotations[9]", SkipReasons.MissingPoints),
            ("images[1]", SkipReasons.DuplicateImage), ("images[2]", SkipReasons.InvalidImageEntry), ("images[3]", SkipReasons.PathEscapes),
            ("images[4]", SkipReasons.MissingImage),
        };
        Assert.Equal(expected.Select(e => ($"{shown}:{e.At}", e.Reason)), ds.Report.Skipped.Select(s => (s.Location, s.Reason)));
        Assert.Single(ds.Images.Single().Annotations);
    }

    [Fact]
    public void Malformed_json_names_file_and_line()
    {
        var root = Setup("{\n  \"images\": [\n    {\"id\": 1,, \"file_name\": \"a.png\"}\n  ]\n}\n", out var file);
        var e = Assert.Throws<InputDataException>(() => Load(root, file));
        Assert.StartsWith($"{DisplayPath.Of(file)}:3: invalid JSON", e.Message);
    }
}
