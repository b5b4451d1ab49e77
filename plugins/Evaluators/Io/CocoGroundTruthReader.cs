using System.Text.Json;
using NanoDet.Evaluators.Corners;

namespace NanoDet.Evaluators.Io;

/// <summary>
/// Reads a COCO ground-truth file: <c>images</c> (id, file_name, width, height), <c>annotations</c> (id,
/// image_id, category_id, bbox [x, y, w, h], area, iscrowd, ignore, and the corners as <c>points</c> [8] or
/// <c>keypoints</c> [8] or [12 = x, y, v triplets]) and <c>categories</c> (id, name). Other keys are skipped.
/// </summary>
internal static class CocoGroundTruthReader
{
    public static GroundTruthFile Read(JsonSource source)
    {
        var file = new GroundTruthFile();
        var reader = source.Reader();
        string where = "top level";
        try
        {
            if (!reader.Read()) throw source.Fail("empty file; a COCO ground-truth file is a JSON object with images, annotations and categories");
            if (reader.TokenType != JsonTokenType.StartObject)
                throw new JsonProblem($"a COCO ground-truth file is a JSON object with images, annotations and categories, not {JsonSource.Describe(reader.TokenType)}", reader.TokenStartIndex);
            JsonSource.Next(ref reader);
            while (reader.TokenType != JsonTokenType.EndObject)
            {
                string key = reader.GetString()!;
                JsonSource.Next(ref reader);
                switch (key)
                {
                    case "images":
                        file.HasImages = true;
                        ReadList(ref reader, key, ref where, (ref Utf8JsonReader r) => file.Images.Add(ReadImage(ref r)));
                        break;
                    case "annotations":
                        ReadList(ref reader, key, ref where, (ref Utf8JsonReader r) => file.Annotations.Add(ReadAnnotation(ref r)));
                        break;
                    case "categories":
                        file.HasCategories = true;
                        ReadList(ref reader, key, ref where, (ref Utf8JsonReader r) => file.Categories.Add(ReadCategory(ref r)));
                        break;
                    default:
                        reader.Skip();
                        break;
                }
                where = "top level";
                JsonSource.Next(ref reader);
            }
            while (reader.Read()) { }
        }
        catch (JsonProblem p)
        {
            throw source.Fail(where, p.Offset, p.Message);
        }
        catch (JsonException e)
        {
            throw source.Syntax(e);
        }
        return file;
    }

    private delegate void EntryReader(ref Utf8JsonReader reader);

    private static void ReadList(ref Utf8JsonReader reader, string key, ref string where, EntryReader read)
    {
        if (reader.TokenType != JsonTokenType.StartArray)
            throw new JsonProblem($"'{key}' must be a list, not {JsonSource.Describe(reader.TokenType)}", reader.TokenStartIndex);
        JsonSource.Next(ref reader);
        int index = 0;
        while (reader.TokenType != JsonTokenType.EndArray)
        {
            where = $"{key}[{index}]";
            if (reader.TokenType != JsonTokenType.StartObject)
                throw new JsonProblem($"expected an object, not {JsonSource.Describe(reader.TokenType)}", reader.TokenStartIndex);
            read(ref reader);
            index++;
            JsonSource.Next(ref reader);
        }
    }

    private static GroundTruthFile.ImageEntry ReadImage(ref Utf8JsonReader reader)
    {
        long start = reader.TokenStartIndex;
        int? id = null;
        int width = 0, height = 0;
        string? fileName = null;
        JsonSource.Next(ref reader);
        while (reader.TokenType != JsonTokenType.EndObject)
        {
            string name = reader.GetString()!;
            JsonSource.Next(ref reader);
            switch (name)
            {
                case "id": id = JsonSource.Integer(ref reader, name); break;
                case "file_name": fileName = JsonSource.String(ref reader, name); break;
                case "width": width = reader.TokenType == JsonTokenType.Null ? 0 : JsonSource.Integer(ref reader, name); break;
                case "height": height = reader.TokenType == JsonTokenType.Null ? 0 : JsonSource.Integer(ref reader, name); break;
                default: reader.Skip(); break;
            }
            JsonSource.Next(ref reader);
        }
        if (id is null) throw new JsonProblem("missing 'id'", start);
        return new(id.Value, fileName, width, height, start);
    }

    private static GroundTruthFile.CategoryEntry ReadCategory(ref Utf8JsonReader reader)
    {
        long start = reader.TokenStartIndex;
        int? id = null;
        string? name = null;
        JsonSource.Next(ref reader);
        while (reader.TokenType != JsonTokenType.EndObject)
        {
            string key = reader.GetString()!;
            JsonSource.Next(ref reader);
            switch (key)
            {
                case "id": id = JsonSource.Integer(ref reader, key); break;
                case "name": name = JsonSource.String(ref reader, key); break;
                default: reader.Skip(); break;
            }
            JsonSource.Next(ref reader);
        }
        if (id is null) throw new JsonProblem("missing 'id'", start);
        return new(id.Value, name, start);
    }

    private static GroundTruthFile.AnnotationEntry ReadAnnotation(ref Utf8JsonReader reader)
    {
        long start = reader.TokenStartIndex;
        long? id = null;
        int? imageId = null, categoryId = null;
        double[]? box = null;
        double? area = null;
        bool crowd = false, ignore = false;
        Quadrilateral? points = null, keypoints = null;
        JsonSource.Next(ref reader);
        while (reader.TokenType != JsonTokenType.EndObject)
        {
            string name = reader.GetString()!;
            JsonSource.Next(ref reader);
            switch (name)
            {
                case "id":
                    if (reader.TokenType != JsonTokenType.Number || !reader.TryGetInt64(out long v))
                        throw new JsonProblem("'id' must be an integer", reader.TokenStartIndex);
                    id = v;
                    break;
                case "image_id": imageId = JsonSource.Integer(ref reader, name); break;
                case "category_id": categoryId = JsonSource.Integer(ref reader, name); break;
                case "bbox": box = JsonSource.Box(ref reader); break;
                case "area": area = JsonSource.Number(ref reader, name); break;
                case "iscrowd": crowd = JsonSource.Flag(ref reader, name); break;
                case "ignore": ignore = JsonSource.Flag(ref reader, name); break;
                case "points": points = JsonSource.Points(ref reader, name); break;
                case "keypoints": keypoints = Keypoints(ref reader); break;
                default: reader.Skip(); break;
            }
            JsonSource.Next(ref reader);
        }
        if (imageId is null) throw new JsonProblem("missing 'image_id'", start);
        if (categoryId is null) throw new JsonProblem("missing 'category_id'", start);
        if (box is null) throw new JsonProblem("missing 'bbox' [x, y, w, h]", start);
        return new(id, imageId.Value, categoryId.Value, box[0], box[1], box[2], box[3], area, crowd, ignore, points ?? keypoints, start);
    }

    /// <summary>
    /// The four-point fork's <c>keypoints</c>: 8 numbers, or 12 as (x, y, v) triplets where any v = 0 means the
    /// corners are not labelled. Other lengths (e.g. COCO person keypoints) are not corners and are ignored.
    /// </summary>
    private static Quadrilateral? Keypoints(ref Utf8JsonReader reader)
    {
        if (reader.TokenType == JsonTokenType.Null) return null;
        var v = JsonSource.NumberArray(ref reader, "keypoints");
        if (v.Length == 8) return Quadrilateral.From(v);
        if (v.Length != 12) return null;
        if (v[2] == 0 || v[5] == 0 || v[8] == 0 || v[11] == 0) return null;
        return new Quadrilateral(v[0], v[1], v[3], v[4], v[6], v[7], v[9], v[10]);
    }
}
