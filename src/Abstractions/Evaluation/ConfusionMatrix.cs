using System.Text.Json;

namespace NanoDet.Abstractions.Evaluation;

/// <summary>
/// Detection confusion matrix with a background class: <c>Counts[p][t]</c> counts detections of class p (row)
/// matched to ground truth of class t (column); the last row holds ground truth no detection matched (missed),
/// the last column detections that matched no ground truth (false alarms).
/// </summary>
/// <param name="Labels">Class names followed by <c>background</c>.</param>
/// <param name="Counts">(C + 1) × (C + 1), rows predicted, columns true.</param>
/// <param name="ScoreThreshold">Detections below this score were left out.</param>
/// <param name="Iou">Box IoU a detection needs to match ground truth.</param>
public sealed record ConfusionMatrix(IReadOnlyList<string> Labels, int[][] Counts, double ScoreThreshold, double Iou)
{
    /// <summary>Writes the matrix as one JSON object: rows, columns, score_threshold, iou, labels, counts.</summary>
    public void WriteJson(Utf8JsonWriter w)
    {
        w.WriteStartObject();
        w.WriteString("rows", "predicted");
        w.WriteString("columns", "true");
        w.WriteNumber("score_threshold", ScoreThreshold);
        w.WriteNumber("iou", Iou);
        w.WriteStartArray("labels");
        foreach (var l in Labels) w.WriteStringValue(l);
        w.WriteEndArray();
        w.WriteStartArray("counts");
        foreach (var row in Counts)
        {
            w.WriteStartArray();
            foreach (var v in row) w.WriteNumberValue(v);
            w.WriteEndArray();
        }
        w.WriteEndArray();
        w.WriteEndObject();
    }
}
