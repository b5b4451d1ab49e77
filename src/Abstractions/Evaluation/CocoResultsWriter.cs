using System.Text.Json;

namespace NanoDet.Abstractions.Evaluation;

/// <summary>
/// Writes a COCO results file: a JSON list of <c>{"image_id", "category_id", "bbox": [x, y, w, h], "score"}</c>
/// objects (one per line), each with <c>"points": [x1, y1, …, x4, y4]</c> when the detection has corners.
/// pycocotools reads it unchanged (it ignores the extra field); <c>nanodet eval --detections</c> reads the points.
/// </summary>
public static class CocoResultsWriter
{
    /// <summary>Writes <paramref name="records"/> to <paramref name="path"/> (created or replaced).</summary>
    public static void Write(string path, IEnumerable<CocoResultRecord> records)
    {
        ArgumentNullException.ThrowIfNull(path);
        var dir = Path.GetDirectoryName(Path.GetFullPath(path));
        if (!string.IsNullOrEmpty(dir)) Directory.CreateDirectory(dir);
        using var stream = File.Create(path);
        Write(stream, records);
    }

    /// <summary>Writes <paramref name="records"/> to <paramref name="stream"/> as UTF-8 JSON.</summary>
    public static void Write(Stream stream, IEnumerable<CocoResultRecord> records)
    {
        ArgumentNullException.ThrowIfNull(stream);
        ArgumentNullException.ThrowIfNull(records);
        var newline = "\n"u8.ToArray();
        stream.Write("["u8);
        bool first = true;
        var buffer = new MemoryStream();
        foreach (var r in records)
        {
            Validate(r);
            stream.Write(first ? newline : ",\n"u8);
            first = false;
            buffer.SetLength(0);
            using (var w = new Utf8JsonWriter(buffer))
            {
                w.WriteStartObject();
                WriteValidatedFields(w, r);
                w.WriteEndObject();
            }
            buffer.WriteTo(stream);
        }
        stream.Write(first ? "]\n"u8 : "\n]\n"u8);
    }

    /// <summary>
    /// Writes one record's fields (<c>image_id</c>, <c>category_id</c>, <c>bbox</c>, <c>score</c>, <c>points</c>)
    /// into an object the caller has opened, so writers that add their own fields share the format.
    /// </summary>
    public static void WriteFields(Utf8JsonWriter w, CocoResultRecord r)
    {
        Validate(r);
        WriteValidatedFields(w, r);
    }

    private static void WriteValidatedFields(Utf8JsonWriter w, CocoResultRecord r)
    {
        w.WriteNumber("image_id", r.ImageId);
        w.WriteNumber("category_id", r.CategoryId);
        w.WriteStartArray("bbox");
        w.WriteNumberValue(r.X);
        w.WriteNumberValue(r.Y);
        w.WriteNumberValue(r.Width);
        w.WriteNumberValue(r.Height);
        w.WriteEndArray();
        w.WriteNumber("score", r.Score);
        if (r.Points is { } p)
        {
            w.WriteStartArray("points");
            foreach (var v in p) w.WriteNumberValue(v);
            w.WriteEndArray();
        }
    }

    private static void Validate(CocoResultRecord r)
    {
        ArgumentNullException.ThrowIfNull(r);
        if (!double.IsFinite(r.X) || !double.IsFinite(r.Y) || !double.IsFinite(r.Width) || !double.IsFinite(r.Height) || !double.IsFinite(r.Score))
            throw new ArgumentException($"result for image {r.ImageId}: box and score must be finite numbers");
        if (r.Points is { } p && (p.Count != 8 || p.Any(v => !double.IsFinite(v))))
            throw new ArgumentException($"result for image {r.ImageId}: points must be 8 finite numbers");
    }
}
