using System.Text.Json;
using NanoDet.Abstractions.Evaluation;
using NanoDet.Compute.Runtime;

namespace NanoDet.Host.Inference;

/// <summary>
/// Writes <c>predictions.json</c>: a list in COCO's results format (<c>image_id</c>, <c>category_id</c>,
/// <c>bbox</c> [x, y, w, h], <c>score</c>) plus <c>points</c> [x1, y1, …, x4, y4] (TL, BL, BR, TR), <c>file_name</c>
/// and, for video frames, <c>frame</c> (0-based); with a camera, <c>pose</c> (rvec, tvec in metres, distance, yaw,
/// pitch, roll in degrees) for every detection whose corners PnP could solve. <c>nanodet eval --detections</c> and pycocotools read it as results.
/// </summary>
internal static class PredictionJsonWriter
{
    public static void Write(string path, IEnumerable<PredictionRecord> records)
    {
        AtomicFile.Write(path, stream =>
        {
            using var w = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = false });
            w.WriteStartArray();
            foreach (var p in records)
            {
                var r = p.Result;
                w.WriteStartObject();
                w.WriteString("file_name", p.FileName);
                if (p.Frame is { } frame) w.WriteNumber("frame", frame);
                CocoResultsWriter.WriteFields(w, r);
                if (p.Pose is { } pose) NanoDet.Inference.Pose.PoseJson.Write(w, pose);
                w.WriteEndObject();
            }
            w.WriteEndArray();
        });
    }
}
