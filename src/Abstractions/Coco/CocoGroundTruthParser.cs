using System.Text.Json;
using NanoDet.Inference.Errors;
using NanoDet.Inference.Geometry;
using NanoDet.Inference.Pose;

namespace NanoDet.Abstractions.Coco;

/// <summary>
/// Parses a COCO ground-truth file (docs/data.md, "COCO with points") into a <see cref="CocoGroundTruthDocument"/>:
/// <c>images</c> (id, file_name, width, height), <c>annotations</c> (id, image_id, category_id, bbox [x, y, w, h],
/// area, iscrowd, ignore, the corners as <c>points</c> or <c>keypoints</c>, an optional <c>pose</c>) and
/// <c>categories</c> (id, name). A strict read stops at the first value that breaks the format with a
/// <see cref="CocoFormatException"/> naming entry and offset; a lenient one records it in
/// <see cref="CocoGroundTruthDocument.Problems"/>, keeps what it could read (numbers beyond double range as ±∞, for the
/// reader's own checks) and goes on. Broken JSON throws a
/// <see cref="JsonException"/> either way, a file that ends inside a structure a <see cref="CocoFormatException"/> with
/// <see cref="CocoFormatException.EndOfData"/>.
/// </summary>
public sealed class CocoGroundTruthParser
{
    private readonly bool _strict;
    private readonly CocoGroundTruthDocument _doc = new();
    private string? _entry;

    private CocoGroundTruthParser(bool strict) => _strict = strict;

    /// <param name="content">The file's bytes (valid UTF-8; a byte-order mark is skipped, offsets count after it).</param>
    /// <param name="strict">Stop at the first problem (throw) instead of recording it.</param>
    /// <param name="allowCommentsAndTrailingCommas">Accept // and /* */ comments and trailing commas.</param>
    public static CocoGroundTruthDocument Parse(byte[] content, bool strict, bool allowCommentsAndTrailingCommas = false)
    {
        var parser = new CocoGroundTruthParser(strict);
        var reader = CocoJson.Reader(content, allowCommentsAndTrailingCommas);
        try
        {
            parser.ReadRoot(ref reader);
        }
        catch (CocoFormatException p) when (p.Entry is null && parser._entry is not null)
        {
            throw new CocoFormatException(p.Message, p.Offset) { Entry = parser._entry, EndOfData = p.EndOfData };
        }
        return parser._doc;
    }

    private delegate T ValueReader<out T>(ref Utf8JsonReader reader);

    private delegate void EntryReader(ref Utf8JsonReader reader, int index);

    private void ReadRoot(ref Utf8JsonReader reader)
    {
        if (!reader.Read()) return; // empty content: Root stays null
        _doc.Root = reader.TokenType;
        if (reader.TokenType != JsonTokenType.StartObject)
        {
            Problem($"a COCO ground-truth file is a JSON object with images, annotations and categories, not {CocoJson.Describe(reader.TokenType)}", reader.TokenStartIndex);
            reader.Skip();
        }
        else
        {
            CocoJson.Next(ref reader);
            while (reader.TokenType != JsonTokenType.EndObject)
            {
                string key = reader.GetString()!;
                CocoJson.Next(ref reader);
                switch (key)
                {
                    case "images":
                        if (ReadList(ref reader, key, (ref Utf8JsonReader r, int i) => _doc.Images.Add(ReadImage(ref r, i)))) _doc.HasImages = true;
                        break;
                    case "annotations":
                        ReadList(ref reader, key, (ref Utf8JsonReader r, int i) => _doc.Annotations.Add(ReadAnnotation(ref r, i)));
                        break;
                    case "categories":
                        if (ReadList(ref reader, key, (ref Utf8JsonReader r, int i) => _doc.Categories.Add(ReadCategory(ref r, i)))) _doc.HasCategories = true;
                        break;
                    default:
                        reader.Skip();
                        break;
                }
                _entry = null;
                CocoJson.Next(ref reader);
            }
        }
        while (reader.Read()) { } // the rest must be well-formed too
    }

    /// <summary>A list of entries; false (the value skipped) when the value is not a list.</summary>
    private bool ReadList(ref Utf8JsonReader reader, string key, EntryReader read)
    {
        if (reader.TokenType != JsonTokenType.StartArray)
        {
            Problem($"'{key}' must be a list, not {CocoJson.Describe(reader.TokenType)}", reader.TokenStartIndex);
            reader.Skip();
            return false;
        }
        CocoJson.Next(ref reader);
        int index = 0;
        while (reader.TokenType != JsonTokenType.EndArray)
        {
            _entry = $"{key}[{index}]";
            read(ref reader, index);
            index++;
            CocoJson.Next(ref reader);
        }
        return true;
    }

    /// <summary>False (problem recorded, value skipped) when the entry is not an object.</summary>
    private bool IsObject(ref Utf8JsonReader reader)
    {
        if (reader.TokenType == JsonTokenType.StartObject) return true;
        Problem($"expected an object, not {CocoJson.Describe(reader.TokenType)}", reader.TokenStartIndex);
        reader.Skip();
        return false;
    }

    private CocoImageEntry ReadImage(ref Utf8JsonReader reader, int index)
    {
        long start = reader.TokenStartIndex;
        if (!IsObject(ref reader)) return new CocoImageEntry(index, start, null, null, null, null);
        int? id = null, width = null, height = null;
        string? fileName = null;
        CocoJson.Next(ref reader);
        while (reader.TokenType != JsonTokenType.EndObject)
        {
            string name = reader.GetString()!;
            CocoJson.Next(ref reader);
            switch (name)
            {
                case "id": id = Value(ref reader, (ref Utf8JsonReader r) => (int?)CocoJson.WholeNumber(ref r, name)); break;
                case "file_name": fileName = Value(ref reader, (ref Utf8JsonReader r) => CocoJson.Text(ref r, name)); break;
                case "width" or "height":
                    int? size = reader.TokenType == JsonTokenType.Null ? null : Value(ref reader, (ref Utf8JsonReader r) => (int?)CocoJson.WholeNumber(ref r, name));
                    if (name == "width") width = size;
                    else height = size;
                    break;
                default: reader.Skip(); break;
            }
            CocoJson.Next(ref reader);
        }
        if (id is null) Problem("missing 'id'", start);
        return new CocoImageEntry(index, start, id, fileName, width, height);
    }

    private CocoCategoryEntry ReadCategory(ref Utf8JsonReader reader, int index)
    {
        long start = reader.TokenStartIndex;
        if (!IsObject(ref reader)) return new CocoCategoryEntry(index, start, null, null);
        int? id = null;
        string? name = null;
        CocoJson.Next(ref reader);
        while (reader.TokenType != JsonTokenType.EndObject)
        {
            string key = reader.GetString()!;
            CocoJson.Next(ref reader);
            switch (key)
            {
                case "id": id = Value(ref reader, (ref Utf8JsonReader r) => (int?)CocoJson.WholeNumber(ref r, key)); break;
                case "name": name = Value(ref reader, (ref Utf8JsonReader r) => CocoJson.Text(ref r, key)); break;
                default: reader.Skip(); break;
            }
            CocoJson.Next(ref reader);
        }
        if (id is null) Problem("missing 'id'", start);
        return new CocoCategoryEntry(index, start, id, name);
    }

    private CocoAnnotationEntry ReadAnnotation(ref Utf8JsonReader reader, int index)
    {
        long start = reader.TokenStartIndex;
        if (!IsObject(ref reader)) return new CocoAnnotationEntry { Index = index, Offset = start, IsObject = false };
        long? id = null;
        int? imageId = null, categoryId = null;
        CocoNumbers? box = null, points = null, keypoints = null;
        double? area = null;
        bool areaInvalid = false, crowd = false, ignore = false;
        JsonElement? pose = null;
        CocoJson.Next(ref reader);
        while (reader.TokenType != JsonTokenType.EndObject)
        {
            string name = reader.GetString()!;
            CocoJson.Next(ref reader);
            switch (name)
            {
                case "id": id = Value(ref reader, (ref Utf8JsonReader r) => (long?)CocoJson.LargeWholeNumber(ref r, name)); break;
                case "image_id": imageId = Value(ref reader, (ref Utf8JsonReader r) => (int?)CocoJson.WholeNumber(ref r, name)); break;
                case "category_id": categoryId = Value(ref reader, (ref Utf8JsonReader r) => (int?)CocoJson.WholeNumber(ref r, name)); break;
                case "bbox":
                    bool nullBox = reader.TokenType == JsonTokenType.Null;
                    box = Numbers(ref reader, name);
                    if (nullBox) box = null; // a null box is no box (a strict read has reported it)
                    else if (box.Values is { } b) Check(() => CocoJson.CheckBox(b, box.Offset));
                    break;
                case "area":
                    bool nullArea = reader.TokenType == JsonTokenType.Null;
                    area = Value(ref reader, (ref Utf8JsonReader r) => (double?)CocoJson.Number(ref r, name, keepNonFinite: !_strict));
                    areaInvalid = area is null && !nullArea;
                    break;
                case "iscrowd": crowd = Flag(ref reader, name); break;
                case "ignore": ignore = Flag(ref reader, name); break;
                case "points":
                    if (reader.TokenType == JsonTokenType.Null) break;
                    points = Numbers(ref reader, name);
                    if (points.Values is { } p) Check(() => CocoJson.CheckPoints(p, name, points.Offset));
                    break;
                case "keypoints":
                    if (reader.TokenType != JsonTokenType.Null) keypoints = Numbers(ref reader, name);
                    break;
                case PoseJson.Key:
                    if (reader.TokenType != JsonTokenType.Null) pose = JsonElement.ParseValue(ref reader);
                    break;
                default: reader.Skip(); break;
            }
            CocoJson.Next(ref reader);
        }
        if (imageId is null) Problem("missing 'image_id'", start);
        if (categoryId is null) Problem("missing 'category_id'", start);
        if (box is null) Problem("missing 'bbox' [x, y, w, h]", start);
        return new CocoAnnotationEntry
        {
            Index = index, Offset = start, Id = id, ImageId = imageId, CategoryId = categoryId, Bbox = box, Area = area,
            AreaInvalid = areaInvalid, IsCrowd = crowd, Ignore = ignore, Points = points, Keypoints = keypoints, Pose = pose,
        };
    }

    /// <summary>A list of numbers (values null when it is not one).</summary>
    private CocoNumbers Numbers(ref Utf8JsonReader reader, string field)
    {
        long at = reader.TokenStartIndex;
        return new CocoNumbers(Value(ref reader, (ref Utf8JsonReader r) => CocoJson.NumberArray(ref r, field, keepNonFinite: !_strict)), at);
    }

    /// <summary>A flag as the dataset reader takes it (true or non-zero); anything but 0/1/true/false is a problem.</summary>
    private bool Flag(ref Utf8JsonReader reader, string field)
    {
        bool set = reader.TokenType == JsonTokenType.True
            || reader.TokenType == JsonTokenType.Number && reader.TryGetDouble(out var d) && d != 0;
        Value(ref reader, (ref Utf8JsonReader r) => (bool?)CocoJson.Flag(ref r, field));
        return set;
    }

    /// <summary>
    /// Reads one value; a problem is thrown (strict) or recorded with the value's remaining tokens skipped, so the
    /// reader ends on the value's last token either way.
    /// </summary>
    private T? Value<T>(ref Utf8JsonReader reader, ValueReader<T?> read)
    {
        int depth = reader.CurrentDepth;
        try
        {
            return read(ref reader);
        }
        catch (CocoFormatException p) when (!p.EndOfData && !_strict)
        {
            Record(p);
            if (reader.CurrentDepth == depth)
            {
                if (reader.TokenType is JsonTokenType.StartArray or JsonTokenType.StartObject) reader.Skip();
            }
            else
            {
                while (!(reader.CurrentDepth == depth && reader.TokenType is JsonTokenType.EndArray or JsonTokenType.EndObject))
                    CocoJson.Next(ref reader);
            }
            return default;
        }
    }

    private void Check(Action check)
    {
        try
        {
            check();
        }
        catch (CocoFormatException p)
        {
            Problem(p.Message, p.Offset);
        }
    }

    private void Problem(string message, long offset)
    {
        var p = new CocoFormatException(message, offset) { Entry = _entry };
        if (_strict) throw p;
        Record(p);
    }

    private void Record(CocoFormatException p) => _doc.Problems.Add(p.Entry is null ? new CocoFormatException(p.Message, p.Offset) { Entry = _entry } : p);
}
