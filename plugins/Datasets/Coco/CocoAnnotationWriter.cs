using System.Text.Json;
using NanoDet.Abstractions.Data;
using NanoDet.Compute.Runtime;
using NanoDet.Datasets.Common;
using NanoDet.Inference.Errors;
using NanoDet.Inference.Geometry;
using NanoDet.Inference.Pose;

namespace NanoDet.Datasets.Coco;

/// <summary>
/// Writes COCO detection JSON with <c>points</c> per annotation. Box width/height are written as the exact
/// difference of the float corners, so <c>x1 + w</c> reads back as the same float <c>x2</c>. An object with a known
/// 3-D pose (synthetic pinhole mode) also gets a <c>pose</c> object (<see cref="PoseJson"/>).
/// </summary>
public sealed class CocoAnnotationWriter(PointOrder order) : IDatasetWriter
{
    public bool WritesSingleFile => true;

    public int Write(ClassTable classes, IReadOnlyList<ImageRecord> images, string output)
    {
        int objects = 0;
        AtomicFile.Write(output, s =>
        {
            using var w = new Utf8JsonWriter(s, new JsonWriterOptions { Indented = false });
            w.WriteStartObject();
            w.WritePropertyName("images");
            w.WriteStartArray();
            foreach (var r in images)
            {
                w.WriteStartObject();
                w.WriteNumber("id", r.Id);
                w.WriteString("file_name", r.FileName);
                w.WriteNumber("width", r.Width);
                w.WriteNumber("height", r.Height);
                w.WriteEndObject();
            }
            w.WriteEndArray();
            w.WritePropertyName("annotations");
            w.WriteStartArray();
            int annId = 1;
            foreach (var r in images)
                foreach (var a in r.Annotations)
                {
                    w.WriteStartObject();
                    w.WriteNumber("id", annId++);
                    w.WriteNumber("image_id", r.Id);
                    w.WriteNumber("category_id", classes.CategoryIds[a.Label]);
                    w.WritePropertyName("bbox");
                    w.WriteStartArray();
                    Number(w, a.Box.X1);
                    Number(w, a.Box.Y1);
                    Number(w, (double)a.Box.X2 - a.Box.X1);
                    Number(w, (double)a.Box.Y2 - a.Box.Y1);
                    w.WriteEndArray();
                    w.WritePropertyName("area");
                    Number(w, a.EvalArea);
                    w.WriteNumber("iscrowd", a.IsCrowd ? 1 : 0);
                    if (a.Points is { } q)
                    {
                        w.WritePropertyName("points");
                        w.WriteStartArray();
                        foreach (var v in order.ToFile(q)) Number(w, v);
                        w.WriteEndArray();
                    }
                    if (a.Pose is { } pose) PoseJson.Write(w, pose);
                    w.WriteEndObject();
                    objects++;
                }
            w.WriteEndArray();
            w.WritePropertyName("categories");
            w.WriteStartArray();
            for (int i = 0; i < classes.Count; i++)
            {
                w.WriteStartObject();
                w.WriteNumber("id", classes.CategoryIds[i]);
                w.WriteString("name", classes.Names[i]);
                w.WriteString("supercategory", classes.Names[i]);
                w.WriteEndObject();
            }
            w.WriteEndArray();
            w.WriteEndObject();
        }, durable: false);
        return objects;
    }

    private static void Number(Utf8JsonWriter w, float v) => w.WriteRawValue(NumberText.Format(v), skipInputValidation: true);

    private static void Number(Utf8JsonWriter w, double v) => w.WriteRawValue(NumberText.Format(v), skipInputValidation: true);
}
