using System.Text.Json;
using NanoDet.Abstractions.Coco;

namespace NanoDet.Evaluators.Io;

/// <summary>
/// Reads a COCO results file: a JSON list of objects with <c>image_id</c>, <c>category_id</c>,
/// <c>bbox</c> [x, y, w, h], <c>score</c> and optionally <c>points</c> [x1, y1, …, x4, y4]; other fields
/// (segmentation, …) are ignored as pycocotools ignores them for bbox evaluation. Streams with
/// <see cref="Utf8JsonReader"/>: a 500,000-entry file reads in well under a second.
/// </summary>
internal static class CocoResultsReader
{
    public static List<ResultEntry> Read(JsonSource source)
    {
        var entries = new List<ResultEntry>();
        var reader = source.Reader();
        int index = -1;
        try
        {
            if (!reader.Read()) throw source.Fail("empty file; a COCO results file is a JSON list of detections");
            if (reader.TokenType != JsonTokenType.StartArray)
                throw source.Fail("top level", reader.TokenStartIndex,
                    $"a COCO results file is a JSON list of detections, not {CocoJson.Describe(reader.TokenType)}");
            CocoJson.Next(ref reader);
            while (reader.TokenType != JsonTokenType.EndArray)
            {
                index++;
                entries.Add(ReadEntry(ref reader));
                CocoJson.Next(ref reader);
            }
            while (reader.Read()) { } // trailing content is a syntax error the reader reports
        }
        catch (CocoFormatException p)
        {
            throw source.Fail(index >= 0 ? $"entry {index}" : "top level", p.Offset, p.Message);
        }
        catch (JsonException e)
        {
            throw source.Syntax(e);
        }
        return entries;
    }

    private static ResultEntry ReadEntry(ref Utf8JsonReader reader)
    {
        long start = reader.TokenStartIndex;
        if (reader.TokenType != JsonTokenType.StartObject)
            throw new CocoFormatException($"expected an object {{image_id, category_id, bbox, score}}, not {CocoJson.Describe(reader.TokenType)}", start);
        int? imageId = null, categoryId = null;
        double[]? box = null;
        double? score = null;
        Corners.Quadrilateral? points = null;
        CocoJson.Next(ref reader);
        while (reader.TokenType != JsonTokenType.EndObject)
        {
            // Compare the UTF-8 name in place: no string per property on files with millions of them.
            var field = reader.ValueTextEquals("image_id"u8) ? Field.ImageId
                : reader.ValueTextEquals("category_id"u8) ? Field.CategoryId
                : reader.ValueTextEquals("bbox"u8) ? Field.Box
                : reader.ValueTextEquals("score"u8) ? Field.Score
                : reader.ValueTextEquals("points"u8) ? Field.Points
                : Field.Other;
            CocoJson.Next(ref reader);
            switch (field)
            {
                case Field.ImageId: imageId = CocoJson.WholeNumber(ref reader, "image_id"); break;
                case Field.CategoryId: categoryId = CocoJson.WholeNumber(ref reader, "category_id"); break;
                case Field.Box: box = CocoJson.Box(ref reader); break;
                case Field.Score: score = CocoJson.Number(ref reader, "score"); break;
                case Field.Points: points = CocoJson.Points(ref reader, "points") is { } p ? Corners.Quadrilateral.From(p) : (Corners.Quadrilateral?)null; break;
                default: reader.Skip(); break;
            }
            CocoJson.Next(ref reader);
        }
        if (imageId is null) throw new CocoFormatException("missing 'image_id'", start);
        if (categoryId is null) throw new CocoFormatException("missing 'category_id'", start);
        if (box is null) throw new CocoFormatException("missing 'bbox' [x, y, w, h]", start);
        if (score is null) throw new CocoFormatException("missing 'score'", start);
        return new ResultEntry(imageId.Value, categoryId.Value, box[0], box[1], box[2], box[3], score.Value, points, start);
    }

    private enum Field { Other, ImageId, CategoryId, Box, Score, Points }
}
