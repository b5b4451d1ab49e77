using NanoDet.Abstractions.Data;
using NanoDet.Abstractions.Evaluation;
using NanoDet.Abstractions.Model;
using NanoDet.Abstractions.Plugins;
using NanoDet.Inference.Detections;
using NanoDet.Inference.Errors;
using NanoDet.Inference.Geometry;

namespace NanoDet.Evaluators.Tests;

/// <summary>Reading COCO ground truth and results files: content, precision, and one-line errors naming file and entry.</summary>
public class CocoFilesTests
{
    private const string Images = "\"images\": [{\"id\": 1, \"file_name\": \"a.jpg\", \"width\": 64, \"height\": 48}]";
    private const string Categories = "\"categories\": [{\"id\": 1, \"name\": \"a\"}]";
    private const string OneAnnotation = "\"annotations\": [{\"id\": 1, \"image_id\": 1, \"category_id\": 1, \"bbox\": [0, 0, 10, 10], \"area\": 100, \"iscrowd\": 0}]";

    private static (string Gt, string Dt) Files(string gt, string dt)
    {
        var dir = TempDir.Create("coco-files");
        string g = Path.Combine(dir, "gt.json"), d = Path.Combine(dir, "dt.json");
        File.WriteAllText(g, gt);
        File.WriteAllText(d, dt);
        return (g, d);
    }

    private static InputDataException Fails(string gt, string dt)
    {
        var (g, d) = Files(gt, dt);
        return Assert.Throws<InputDataException>(() => new CocoDetectionEvaluator().ReadCocoFiles(g, d));
    }

    private static string Gt(string annotations = OneAnnotation, string images = Images, string categories = Categories) =>
        $"{{\n{images},\n{annotations},\n{categories}\n}}\n";

    [Fact]
    public void Invalid_json_names_file_and_line()
    {
        var e = Fails("{\n\"images\": [\n  {\"id\": 1,,}\n]}", "[]");
        Assert.Matches(@"gt\.json: line 3: invalid JSON", e.Message);
    }

    [Fact]
    public void Annotation_without_bbox_names_entry_and_line()
    {
        var e = Fails(Gt("\"annotations\": [\n" +
            "{\"id\": 1, \"image_id\": 1, \"category_id\": 1, \"bbox\": [0, 0, 10, 10]},\n" +
            "{\"id\": 2, \"image_id\": 1, \"category_id\": 1, \"area\": 5}\n]"), "[]");
        Assert.Matches(@"gt\.json: annotations\[1\] \(line 5\): missing 'bbox'", e.Message);
    }

    [Theory]
    [InlineData("\"annotations\": [{\"id\": 1, \"image_id\": 9, \"category_id\": 1, \"bbox\": [0, 0, 1, 1]}]", @"annotations\[0\] \(line 3\): image_id 9 is not in 'images'")]
    [InlineData("\"annotations\": [{\"id\": 1, \"image_id\": 1, \"category_id\": 4, \"bbox\": [0, 0, 1, 1]}]", @"annotations\[0\] \(line 3\): category_id 4 is not in 'categories'")]
    [InlineData("\"annotations\": [{\"id\": 1, \"image_id\": 1, \"category_id\": 1, \"bbox\": [0, 0, 1]}]", @"annotations\[0\] \(line 3\): 'bbox' must be \[x, y, w, h\], got 3 numbers")]
    [InlineData("\"annotations\": [{\"id\": 1, \"image_id\": 1, \"category_id\": 1, \"bbox\": [0, 0, 1, 1], \"iscrowd\": 2}]", @"'iscrowd' must be 0 or 1")]
    [InlineData("\"annotations\": [{\"id\": 1, \"image_id\": 1, \"category_id\": 1, \"bbox\": [0, 0, 1, 1], \"points\": [1, 2, 3]}]", @"'points' must be 8 numbers")]
    [InlineData("\"annotations\": [{\"id\": 3, \"image_id\": 1, \"category_id\": 1, \"bbox\": [0, 0, 1, 1]}, {\"id\": 3, \"image_id\": 1, \"category_id\": 1, \"bbox\": [0, 0, 1, 1]}]", @"annotations\[1\] \(line 3\): duplicate annotation id 3 \(first at annotations\[0\]\)")]
    [InlineData("\"annotations\": {}", @"'annotations' must be a list, not an object")]
    public void Malformed_ground_truth_is_reported(string annotations, string pattern) =>
        Assert.Matches(pattern, Fails(Gt(annotations), "[]").Message);

    [Fact]
    public void Duplicate_image_ids_and_missing_categories_are_reported()
    {
        Assert.Matches(@"images\[1\] \(line 2\): duplicate image id 1",
            Fails(Gt(images: "\"images\": [{\"id\": 1}, {\"id\": 1}]"), "[]").Message);
        Assert.Matches(@"gt\.json: no 'categories'", Fails($"{{{Images}, {OneAnnotation}}}", "[]").Message);
        Assert.Matches(@"gt\.json: no 'images'", Fails($"{{{OneAnnotation}, {Categories}}}", "[]").Message);
    }

    [Theory]
    [InlineData("{\"image_id\": 1}", @"dt\.json: top level \(line 1\): a COCO results file is a JSON list of detections, not an object")]
    [InlineData("[\n{\"image_id\": 1, \"category_id\": 1, \"bbox\": [0, 0, 1, 1], \"score\": 0.5},\n{\"image_id\": 1, \"category_id\": 1, \"bbox\": [0, 0, 1, 1], \"score\": 0.5},\n{\"image_id\": 1, \"category_id\": 1, \"bbox\": [0, 0, 1, 1]}\n]", @"dt\.json: entry 2 \(line 4\): missing 'score'")]
    [InlineData("[\n{\"image_id\": 1, \"category_id\": 1, \"bbox\": [0, 0, 1, 1], \"score\": \"high\"}\n]", @"entry 0 \(line 2\): 'score' must be a number, not a string")]
    [InlineData("[\n{\"image_id\": 1, \"category_id\": 1, \"bbox\": [0, 0, 1, 1], \"score\": 0.5},\n{\"image_id\": 7, \"category_id\": 1, \"bbox\": [0, 0, 1, 1], \"score\": 0.5}\n]", @"entry 1 \(line 3\): image_id 7 is not in the ground truth")]
    [InlineData("[{\"image_id\": 1.5, \"category_id\": 1, \"bbox\": [0, 0, 1, 1], \"score\": 0.5}]", @"entry 0 \(line 1\): 'image_id' must be an integer")]
    [InlineData("[{\"image_id\": 1, \"category_id\": 1, \"bbox\": [0, 0, 1, 1], \"score\": 0.5, \"points\": [1, 2]}]", @"entry 0 \(line 1\): 'points' must be 8 numbers")]
    [InlineData("[{\"image_id\": 1, \"category_id\": 1, \"bbox\": [0, 0, 1, 1], \"score\": 0.5}", @"dt\.json: line \d+: invalid JSON")]
    [InlineData("[1, 2]", @"entry 0 \(line 1\): expected an object")]
    public void Malformed_results_are_reported(string results, string pattern) =>
        Assert.Matches(pattern, Fails(Gt(), results).Message);

    [Fact]
    public void Missing_file_is_an_input_error() =>
        Assert.Throws<InputDataException>(() => new CocoDetectionEvaluator().ReadCocoFiles("/nonexistent/gt.json", "/nonexistent/dt.json"));

    [Fact]
    public void Categories_map_to_labels_in_ascending_id_order_and_keypoints_are_read()
    {
        // Categories listed 5 then 2 → label 0 = id 2 ("b"), label 1 = id 5 ("e").
        // keypoints as 12 (x, y, v) numbers are corners; 51 numbers (COCO person keypoints) are not.
        var (g, d) = Files("""
            {"images": [{"id": 3, "file_name": "x.jpg"}],
             "annotations": [
               {"id": 1, "image_id": 3, "category_id": 5, "bbox": [0, 0, 10, 10], "keypoints": [0,0,2, 0,10,2, 10,10,2, 10,0,2]},
               {"id": 2, "image_id": 3, "category_id": 2, "bbox": [0, 0, 10, 10], "keypoints": [{{string.Join(",", Enumerable.Repeat("1", 51))}}]}],
             "categories": [{"id": 5, "name": "e"}, {"id": 2, "name": "b"}]}
            """.Replace("{{string.Join(\",\", Enumerable.Repeat(\"1\", 51))}}", string.Join(",", Enumerable.Repeat("1", 51))),
            """[{"image_id": 3, "category_id": 5, "bbox": [1, 2, 3, 4], "score": 0.25, "points": [1, 2, 1, 6, 4, 6, 4, 2]}]""");
        var input = new CocoDetectionEvaluator().ReadCocoFiles(g, d);
        Assert.Equal(["b", "e"], input.Classes.Names);
        Assert.Equal([2, 5], input.Classes.CategoryIds);
        var anns = input.Images.Single().Annotations;
        Assert.Equal(1, anns[0].Label);
        Assert.Equal(new Quad(new(0, 0), new(0, 10), new(10, 10), new(10, 0)), anns[0].Points);
        Assert.Null(anns[1].Points);
        var det = input.Detections.Single();
        Assert.Equal(3, det.ImageId);
        Assert.Equal(1, det.Detection.Label);
        Assert.Equal(new Box(1, 2, 4, 6), det.Detection.Box);
        Assert.Equal(0.25f, det.Detection.Score);
    }

    [Fact]
    public void Detections_of_categories_missing_from_the_ground_truth_are_ignored_with_a_note()
    {
        var (g, d) = Files(Gt(), """
            [{"image_id": 1, "category_id": 1, "bbox": [0, 0, 10, 10], "score": 0.9},
             {"image_id": 1, "category_id": 42, "bbox": [0, 0, 10, 10], "score": 0.95}]
            """);
        var evaluator = new CocoDetectionEvaluator();
        var input = evaluator.ReadCocoFiles(g, d);
        Assert.Single(input.Detections);
        var r = evaluator.Evaluate(input, null);
        Expect.Close(1, r.Metrics["mAP"]);
        Assert.Contains("1 detection(s) of category id(s) 42 not in the ground truth were ignored", r.Text);
    }

    [Fact]
    public void Empty_results_list_means_no_detections()
    {
        var (g, d) = Files(Gt(), "[]\n");
        var evaluator = new CocoDetectionEvaluator();
        var r = evaluator.Evaluate(evaluator.ReadCocoFiles(g, d), null);
        Assert.All(CocoDetectionEvaluator.CocoStatNames, n => Assert.Equal(0, r.Metrics[n]));
    }

    [Fact]
    public void Files_are_evaluated_in_double_precision()
    {
        // The area 1024.00001 is medium, not small, but as a float it becomes exactly 1024 (small and medium).
        // Scores 0.50000001 (TP) and 0.5 (FP) are distinct, but equal as floats, where the tie would put the FP
        // (listed first) ahead. Read from files: AP_small = −1 (no small object), mAP = 1 (TP ranked first).
        // The same content as float records: the object is small and the FP outranks the TP: AP_small = mAP = 0.5.
        // pycocotools reads the doubles, as we do.
        var (g, d) = Files(Gt("\"annotations\": [{\"id\": 1, \"image_id\": 1, \"category_id\": 1, \"bbox\": [0, 0, 32, 32], \"area\": 1024.00001, \"iscrowd\": 0}]"), """
            [{"image_id": 1, "category_id": 1, "bbox": [300, 300, 32, 32], "score": 0.5},
             {"image_id": 1, "category_id": 1, "bbox": [0, 0, 32, 32], "score": 0.50000001}]
            """);
        var evaluator = new CocoDetectionEvaluator();
        var input = evaluator.ReadCocoFiles(g, d);
        var exact = evaluator.Evaluate(input, null);
        Assert.Equal(-1, exact.Metrics["AP_small"]);
        Expect.Close(1, exact.Metrics["mAP"]);

        var copy = input with { Detections = input.Detections.ToArray() }; // not the object ReadCocoFiles returned
        var rounded = evaluator.Evaluate(copy, null);
        Expect.Close(0.5, rounded.Metrics["AP_small"]);
        Expect.Close(0.5, rounded.Metrics["mAP"]);
    }

    [Fact]
    public void Results_writer_output_reads_back_identically()
    {
        var classes = new ClassTable(["a", "b"], [3, 8]);
        var detections = new[]
        {
            new ImageDetection(1, new Detection(1, new Box(1.5f, 2.25f, 11.5f, 22.25f), 0.875f,
                new Quad(new(1.5f, 2.25f), new(1.5f, 22.25f), new(11.5f, 22.25f), new(11.5f, 2.25f)))),
            new ImageDetection(1, new Detection(0, new Box(123.45f, 0.1f, 130f, 10f), 0.3f, null)),
        };
        var dir = TempDir.Create("writer");
        string dt = Path.Combine(dir, "dt.json"), gt = Path.Combine(dir, "gt.json");
        CocoResultsWriter.Write(dt, detections.Select(d => CocoResultRecord.From(d.ImageId, d.Detection, classes)));
        File.WriteAllText(gt, """{"images": [{"id": 1}], "annotations": [], "categories": [{"id": 3, "name": "a"}, {"id": 8, "name": "b"}]}""");

        string text = File.ReadAllText(dt);
        Assert.Contains("\"bbox\":[123.45,0.1,6.550003,9.9]", text); // float values in their shortest form (w = 130f − 123.45f)
        Assert.Contains("\"category_id\":8", text);
        var back = new CocoDetectionEvaluator().ReadCocoFiles(gt, dt).Detections;
        Assert.Equal(2, back.Count);
        Assert.Equal(detections[0].Detection, back[0].Detection);
        Assert.Null(back[1].Detection.Points);
        Assert.Equal(0, back[1].Detection.Label);
    }
}
