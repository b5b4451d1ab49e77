using System.Text.Json;
using NanoDet.Abstractions.Evaluation;

namespace NanoDet.Training.Validation;

/// <summary>
/// The <c>--json</c> output of <c>nanodet eval</c> (docs/evaluation.md "JSON output"): every metric by name as a
/// fraction (the 12 COCO stats under NanoDet's names, −1 where pycocotools prints −1, corner metrics and the
/// quadrilateral AP and keypoint AP when the ground truth has corners, precision / recall / F1), the per-class AP,
/// per-class precision / recall / F1, the confusion matrix, the inputs and the plot files.
/// Values that are not numbers (a median with no pairs) are written as null.
/// </summary>
public static class EvaluationReportJson
{
    public static void Write(string path, EvaluationReport report, IReadOnlyDictionary<string, string> inputs)
    {
        var full = Path.GetFullPath(path);
        Directory.CreateDirectory(Path.GetDirectoryName(full)!);
        var temp = full + ".tmp";
        using (var stream = File.Create(temp))
        using (var w = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true }))
        {
            w.WriteStartObject();
            foreach (var (key, value) in inputs) w.WriteString(key, value);
            w.WriteStartObject("metrics");
            foreach (var (name, value) in report.Metrics) WriteNumber(w, name, value);
            w.WriteEndObject();
            w.WriteStartArray("per_class");
            foreach (var c in report.PerClass)
            {
                w.WriteStartObject();
                w.WriteString("name", c.Name);
                WriteNumber(w, "AP_50", c.Ap50);
                WriteNumber(w, "mAP", c.Map);
                w.WriteEndObject();
            }
            w.WriteEndArray();
            if (report.Scores is { } scores)
            {
                w.WriteStartArray("per_class_prf");
                foreach (var c in scores)
                {
                    w.WriteStartObject();
                    w.WriteString("name", c.Name);
                    w.WriteNumber("ground_truth", c.GroundTruth);
                    WriteNumber(w, "best_f1", c.BestF1);
                    WriteNumber(w, "best_f1_score_threshold", c.BestThreshold);
                    WriteNumber(w, "best_f1_precision", c.BestPrecision);
                    WriteNumber(w, "best_f1_recall", c.BestRecall);
                    WriteNumber(w, "precision", c.Precision);
                    WriteNumber(w, "recall", c.Recall);
                    WriteNumber(w, "f1", c.F1);
                    w.WriteEndObject();
                }
                w.WriteEndArray();
            }
            if (report.Confusion is { } m)
            {
                w.WritePropertyName("confusion_matrix");
                m.WriteJson(w);
            }
            w.WriteStartArray("files");
            foreach (var f in report.Files) w.WriteStringValue(f);
            w.WriteEndArray();
            w.WriteEndObject();
        }
        File.Move(temp, full, overwrite: true);
    }

    private static void WriteNumber(Utf8JsonWriter w, string name, double value)
    {
        if (double.IsFinite(value)) w.WriteNumber(name, value);
        else w.WriteNull(name);
    }
}
