using System.Text;
using System.Text.Json;

namespace NanoDet.Abstractions.Coco;

/// <summary>
/// Reads the values of COCO JSON files (ground truth and results) token by token with <see cref="Utf8JsonReader"/>,
/// so a problem can name the line it is on. Each reader expects the reader on the value's first token and leaves it
/// on the value's last token; a value of the wrong kind throws a <see cref="CocoFormatException"/>.
/// </summary>
public static class CocoJson
{
    /// <summary>A reader over <paramref name="content"/>, a UTF-8 byte-order mark skipped.</summary>
    public static Utf8JsonReader Reader(byte[] content, bool allowCommentsAndTrailingCommas = false) =>
        new(content.AsSpan(BomLength(content)), new JsonReaderOptions
        {
            MaxDepth = 256,
            AllowTrailingCommas = allowCommentsAndTrailingCommas,
            CommentHandling = allowCommentsAndTrailingCommas ? JsonCommentHandling.Skip : JsonCommentHandling.Disallow,
        });

    /// <summary>1-based line of a byte offset in the content as <see cref="Reader"/> saw it.</summary>
    public static long LineOf(byte[] content, long offset)
    {
        int start = BomLength(content);
        long end = Math.Min(content.Length, start + offset);
        long line = 1;
        for (long i = start; i < end; i++) if (content[i] == (byte)'\n') line++;
        return line;
    }

    /// <summary>The first sentence of a <see cref="JsonException"/> (without System.Text.Json's position suffix).</summary>
    public static string SyntaxMessage(JsonException e)
    {
        int cut = e.Message.IndexOf(" LineNumber:", StringComparison.Ordinal);
        return (cut > 0 ? e.Message[..cut] : e.Message).TrimEnd();
    }

    private static int BomLength(byte[] content) => content.AsSpan().StartsWith(Encoding.UTF8.Preamble) ? 3 : 0;

    /// <summary>Moves to the next token; the end of the data inside a structure is a problem that ends the reading.</summary>
    public static void Next(ref Utf8JsonReader reader)
    {
        if (!reader.Read()) throw new CocoFormatException("unexpected end of file", reader.BytesConsumed) { EndOfData = true };
    }

    /// <summary>A finite number at the current token (with <paramref name="keepNonFinite"/>, a number beyond double range reads as ±∞).</summary>
    public static double Number(ref Utf8JsonReader reader, string field, bool keepNonFinite = false)
    {
        if (reader.TokenType != JsonTokenType.Number)
            throw new CocoFormatException($"'{field}' must be a number, not {Describe(reader.TokenType)}", reader.TokenStartIndex);
        if (!reader.TryGetDouble(out double v) || !double.IsFinite(v) && !keepNonFinite)
            throw new CocoFormatException($"'{field}' is not a finite number", reader.TokenStartIndex);
        return v;
    }

    /// <summary>An integer in int range at the current token (1 and 1.0 both accepted, as Python compares them equal).</summary>
    public static int WholeNumber(ref Utf8JsonReader reader, string field)
    {
        if (reader.TokenType != JsonTokenType.Number)
            throw new CocoFormatException($"'{field}' must be an integer, not {Describe(reader.TokenType)}", reader.TokenStartIndex);
        if (reader.TryGetInt32(out int i)) return i;
        if (reader.TryGetDouble(out double v) && v == Math.Floor(v) && v >= int.MinValue && v <= int.MaxValue) return (int)v;
        throw new CocoFormatException($"'{field}' must be an integer between {int.MinValue} and {int.MaxValue}", reader.TokenStartIndex);
    }

    /// <summary>A 64-bit integer at the current token (annotation ids).</summary>
    public static long LargeWholeNumber(ref Utf8JsonReader reader, string field)
    {
        if (reader.TokenType != JsonTokenType.Number || !reader.TryGetInt64(out long v))
            throw new CocoFormatException($"'{field}' must be an integer", reader.TokenStartIndex);
        return v;
    }

    /// <summary>0/1 or false/true.</summary>
    public static bool Flag(ref Utf8JsonReader reader, string field)
    {
        switch (reader.TokenType)
        {
            case JsonTokenType.True: return true;
            case JsonTokenType.False: return false;
            case JsonTokenType.Number when reader.TryGetDouble(out double v) && (v == 0 || v == 1): return v == 1;
            default: throw new CocoFormatException($"'{field}' must be 0 or 1", reader.TokenStartIndex);
        }
    }

    /// <summary>A string, or null for JSON null.</summary>
    public static string? Text(ref Utf8JsonReader reader, string field) => reader.TokenType switch
    {
        JsonTokenType.String => reader.GetString(),
        JsonTokenType.Null => null,
        _ => throw new CocoFormatException($"'{field}' must be a string", reader.TokenStartIndex),
    };

    /// <summary>An array of finite numbers (reader on StartArray; ends on EndArray); <paramref name="keepNonFinite"/> as for <see cref="Number"/>.</summary>
    public static double[] NumberArray(ref Utf8JsonReader reader, string field, bool keepNonFinite = false)
    {
        if (reader.TokenType != JsonTokenType.StartArray)
            throw new CocoFormatException($"'{field}' must be a list of numbers, not {Describe(reader.TokenType)}", reader.TokenStartIndex);
        var values = new List<double>(8);
        Next(ref reader);
        while (reader.TokenType != JsonTokenType.EndArray)
        {
            values.Add(Number(ref reader, field, keepNonFinite));
            Next(ref reader);
        }
        return values.ToArray();
    }

    /// <summary><c>bbox</c>: [x, y, w, h].</summary>
    public static double[] Box(ref Utf8JsonReader reader)
    {
        long at = reader.TokenStartIndex;
        var v = NumberArray(ref reader, "bbox");
        CheckBox(v, at);
        return v;
    }

    /// <summary>Throws unless <paramref name="box"/> has the four numbers of a <c>bbox</c>.</summary>
    public static void CheckBox(double[] box, long offset)
    {
        if (box.Length != 4) throw new CocoFormatException($"'bbox' must be [x, y, w, h], got {box.Length} numbers", offset);
    }

    /// <summary>Four corners as 8 numbers x1,y1,…,x4,y4 (null when the value is null).</summary>
    public static double[]? Points(ref Utf8JsonReader reader, string field)
    {
        if (reader.TokenType == JsonTokenType.Null) return null;
        long at = reader.TokenStartIndex;
        var v = NumberArray(ref reader, field);
        CheckPoints(v, field, at);
        return v;
    }

    /// <summary>Throws unless <paramref name="points"/> holds the 8 numbers of four corners.</summary>
    public static void CheckPoints(double[] points, string field, long offset)
    {
        if (points.Length != 8) throw new CocoFormatException($"'{field}' must be 8 numbers x1,y1,...,x4,y4 (TL, BL, BR, TR), got {points.Length}", offset);
    }

    /// <summary>How a token reads in a message ("a string", "a list", …).</summary>
    public static string Describe(JsonTokenType t) => t switch
    {
        JsonTokenType.String => "a string",
        JsonTokenType.Number => "a number",
        JsonTokenType.True or JsonTokenType.False => "a boolean",
        JsonTokenType.Null => "null",
        JsonTokenType.StartArray => "a list",
        JsonTokenType.StartObject => "an object",
        _ => t.ToString(),
    };
}
