using System.Text;
using NanoDet.Abstractions.Coco;

namespace NanoDet.Abstractions.Tests.Coco;

/// <summary>
/// The one COCO ground-truth parser: a lenient read records a problem and keeps going (the dataset reader skips the
/// entry), a strict read stops at it with the same message, entry and line (the evaluator).
/// </summary>
public class CocoGroundTruthParserTests
{
    private const string File = """
        {"images": [{"id": 1, "file_name": "a.png", "width": 64, "height": 48}],
         "annotations": [
           {"id": 1, "image_id": 1, "category_id": 2, "bbox": [1, 2, 3]},
           {"id": 2, "image_id": 1, "category_id": 2, "bbox": [1, 2, 3, 4], "points": [1, 2, 1, 6, 4, 6, 4, 2]}],
         "categories": [{"id": 2, "name": "B_1"}]}
        """;

    private static byte[] Bytes(string text) => Encoding.UTF8.GetBytes(text);

    [Fact]
    public void Lenient_read_records_the_problem_and_reads_on()
    {
        var doc = CocoGroundTruthParser.Parse(Bytes(File), strict: false);
        Assert.True(doc.HasImages);
        Assert.True(doc.HasCategories);
        Assert.Equal(2, doc.Annotations.Count);
        Assert.Equal(3, doc.Annotations[0].Bbox!.Values!.Length);
        Assert.Equal([1.0, 2, 1, 6, 4, 6, 4, 2], doc.Annotations[1].Corners!);
        var problem = Assert.Single(doc.Problems);
        Assert.Equal("annotations[0]", problem.Entry);
        Assert.Equal("'bbox' must be [x, y, w, h], got 3 numbers", problem.Message);
        Assert.Equal(3, CocoJson.LineOf(Bytes(File), problem.Offset));
    }

    [Fact]
    public void Strict_read_stops_at_the_first_problem()
    {
        var e = Assert.Throws<CocoFormatException>(() => CocoGroundTruthParser.Parse(Bytes(File), strict: true));
        Assert.Equal("annotations[0]", e.Entry);
        Assert.Equal("'bbox' must be [x, y, w, h], got 3 numbers", e.Message);
        Assert.Equal(3, CocoJson.LineOf(Bytes(File), e.Offset));
    }

    [Fact]
    public void A_value_of_the_wrong_kind_is_passed_over_whole()
    {
        var doc = CocoGroundTruthParser.Parse(Bytes("""{"images": [{"id": [1, [2, {"x": 3}]], "file_name": "a.png", "width": "wide"}, 5]}"""), strict: false);
        Assert.Equal(2, doc.Images.Count);
        Assert.Null(doc.Images[0].Id);
        Assert.Equal("a.png", doc.Images[0].FileName);
        Assert.Null(doc.Images[0].Width);
        Assert.Null(doc.Images[1].FileName);
        Assert.Equal(["'id' must be an integer, not a list", "'width' must be an integer, not a string", "missing 'id'", "expected an object, not a number"],
            doc.Problems.Select(p => p.Message));
    }

    [Fact]
    public void Corners_come_from_points_first_then_labelled_keypoints()
    {
        var doc = CocoGroundTruthParser.Parse(Bytes("""
            {"images": [], "annotations": [
              {"image_id": 1, "category_id": 1, "bbox": [0, 0, 9, 9], "keypoints": [1, 2, 2, 3, 4, 2, 5, 6, 2, 7, 8, 2]},
              {"image_id": 1, "category_id": 1, "bbox": [0, 0, 9, 9], "keypoints": [1, 2, 2, 3, 4, 0, 5, 6, 2, 7, 8, 2]},
              {"image_id": 1, "category_id": 1, "bbox": [0, 0, 9, 9], "points": null, "keypoints": [1, 2, 3, 4, 5, 6, 7, 8]},
              {"image_id": 1, "category_id": 1, "bbox": [0, 0, 9, 9], "points": [1, 2, 3], "keypoints": [1, 2, 3, 4, 5, 6, 7, 8]}]}
            """), strict: false);
        Assert.Equal([1.0, 2, 3, 4, 5, 6, 7, 8], doc.Annotations[0].Corners!);
        Assert.Null(doc.Annotations[1].Corners!); // a corner with visibility 0 is not labelled
        Assert.Equal([1.0, 2, 3, 4, 5, 6, 7, 8], doc.Annotations[2].Corners!);
        Assert.Null(doc.Annotations[3].Corners); // points given but not 8 numbers: no fallback to keypoints
    }

    [Fact]
    public void Lenient_read_keeps_numbers_beyond_double_range_for_the_reader_to_judge()
    {
        var text = """{"images": [], "annotations": [{"image_id": 1, "category_id": 1, "bbox": [1e999, 0, 4, 4]}]}""";
        Assert.Equal(double.PositiveInfinity, CocoGroundTruthParser.Parse(Bytes(text), strict: false).Annotations[0].Bbox!.Values![0]);
        var e = Assert.Throws<CocoFormatException>(() => CocoGroundTruthParser.Parse(Bytes(text), strict: true));
        Assert.Equal("'bbox' is not a finite number", e.Message);
    }
}
