using System.Text.Json;
using System.Text.Json.Nodes;
using NanoDet.Abstractions.Evaluation;

namespace NanoDet.Evaluators.Tests;

/// <summary>
/// Builds a small COCO ground-truth file and results file in a temp folder and evaluates them through the real
/// path (<c>ReadCocoFiles</c> + <c>Evaluate</c>). Boxes are COCO [x, y, w, h]; category 1 ("a") unless stated.
/// </summary>
internal sealed class CocoCase
{
    private readonly JsonArray _images = [];
    private readonly JsonArray _annotations = [];
    private readonly JsonArray _categories = [];
    private readonly JsonArray _detections = [];
    private int _nextAnnotationId = 1;

    public CocoCase Category(int id, string name)
    {
        _categories.Add(new JsonObject { ["id"] = id, ["name"] = name });
        return this;
    }

    public CocoCase Images(params int[] ids)
    {
        foreach (var id in ids) _images.Add(new JsonObject { ["id"] = id, ["file_name"] = $"{id}.jpg", ["width"] = 640, ["height"] = 480 });
        return this;
    }

    public CocoCase Gt(int image, double x, double y, double w, double h, int category = 1, bool crowd = false,
        double? area = null, double[]? points = null, long? id = null, bool ignore = false)
    {
        var a = new JsonObject
        {
            ["id"] = id ?? _nextAnnotationId++,
            ["image_id"] = image,
            ["category_id"] = category,
            ["bbox"] = new JsonArray(x, y, w, h),
            ["area"] = area ?? w * h,
            ["iscrowd"] = crowd ? 1 : 0,
        };
        if (points is not null) a["points"] = new JsonArray(points.Select(v => (JsonNode)v).ToArray());
        if (ignore) a["ignore"] = 1;
        _annotations.Add(a);
        return this;
    }

    public CocoCase Det(int image, double x, double y, double w, double h, double score, int category = 1, double[]? points = null)
    {
        var d = new JsonObject
        {
            ["image_id"] = image,
            ["category_id"] = category,
            ["bbox"] = new JsonArray(x, y, w, h),
            ["score"] = score,
        };
        if (points is not null) d["points"] = new JsonArray(points.Select(v => (JsonNode)v).ToArray());
        _detections.Add(d);
        return this;
    }

    /// <summary>Writes gt.json and dt.json into a new temp folder; returns their paths.</summary>
    public (string Gt, string Dt) Write()
    {
        var dir = TempDir.Create("coco-case");
        if (_categories.Count == 0) Category(1, "a");
        var gt = new JsonObject { ["images"] = _images.DeepClone(), ["annotations"] = _annotations.DeepClone(), ["categories"] = _categories.DeepClone() };
        string gtPath = Path.Combine(dir, "gt.json"), dtPath = Path.Combine(dir, "dt.json");
        File.WriteAllText(gtPath, gt.ToJsonString(new JsonSerializerOptions { WriteIndented = true }));
        File.WriteAllText(dtPath, _detections.ToJsonString(new JsonSerializerOptions { WriteIndented = true }));
        return (gtPath, dtPath);
    }

    public EvaluationReport Evaluate(string? plots = null, CocoDetectionEvaluatorOptions? options = null)
    {
        var (gt, dt) = Write();
        var evaluator = new CocoDetectionEvaluator(options);
        return evaluator.Evaluate(evaluator.ReadCocoFiles(gt, dt), plots);
    }
}
