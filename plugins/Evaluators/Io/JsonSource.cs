using NanoDet.Inference.Errors;
using System.Text;
using System.Text.Json;
using NanoDet.Abstractions.Plugins;
using NanoDet.Evaluators.Corners;

namespace NanoDet.Evaluators.Io;

/// <summary>
/// A JSON file read into memory for <see cref="Utf8JsonReader"/>, with helpers that read COCO values and report
/// problems as "FILE: ENTRY (line N): MESSAGE" (the line is computed from the byte offset only on error).
/// </summary>
internal sealed class JsonSource
{
    private JsonSource(string path, byte[] bytes)
    {
        Path = path;
        Bytes = bytes;
    }

    public string Path { get; }
    public byte[] Bytes { get; }

    public static JsonSource Load(string path)
    {
        byte[] bytes;
        try
        {
            bytes = File.ReadAllBytes(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new InputDataException($"{path}: cannot read: {e.Message}", e);
        }
        // System.Text.Json checks UTF-8 only when a string is read, and then throws an InvalidOperationException.
        if (!System.Text.Unicode.Utf8.IsValid(bytes)) throw new InputDataException($"{path}: invalid JSON: the file is not valid UTF-8");
        return new JsonSource(path, bytes);
    }

    /// <summary>A reader over the content (a UTF-8 byte-order mark is skipped).</summary>
    public Utf8JsonReader Reader()
    {
        var span = Bytes.AsSpan();
        int start = span.StartsWith(Encoding.UTF8.Preamble) ? 3 : 0;
        return new Utf8JsonReader(span[start..], new JsonReaderOptions { MaxDepth = 256 });
    }

    /// <summary>1-based line of a byte offset in the content as the reader saw it.</summary>
    public long LineOf(long offset)
    {
        int start = Bytes.AsSpan().StartsWith(Encoding.UTF8.Preamble) ? 3 : 0;
        long end = Math.Min(Bytes.Length, start + offset);
        long line = 1;
        for (long i = start; i < end; i++) if (Bytes[i] == (byte)'\n') line++;
        return line;
    }

    public InputDataException Fail(string where, long offset, string message) =>
        new($"{Path}: {where} (line {LineOf(offset)}): {message}");

    public InputDataException Fail(string message) => new($"{Path}: {message}");

    /// <summary>Wraps a syntax error of the JSON itself.</summary>
    public InputDataException Syntax(JsonException e) =>
        new($"{Path}: line {(e.LineNumber ?? 0) + 1}: invalid JSON: {FirstSentence(e.Message)}", e);

    private static string FirstSentence(string message)
    {
        int cut = message.IndexOf(" LineNumber:", StringComparison.Ordinal);
        return (cut > 0 ? message[..cut] : message).TrimEnd();
    }

    /// <summary>Moves to the next token; end of data inside a structure is a syntax error.</summary>
    public static void Next(ref Utf8JsonReader reader)
    {
        if (!reader.Read()) throw new JsonProblem("unexpected end of file", reader.BytesConsumed);
    }

    /// <summary>A finite number at the current token.</summary>
    public static double Number(ref Utf8JsonReader reader, string field)
    {
        if (reader.TokenType != JsonTokenType.Number)
            throw new JsonProblem($"'{field}' must be a number, not {Describe(reader.TokenType)}", reader.TokenStartIndex);
        if (!reader.TryGetDouble(out double v) || !double.IsFinite(v))
            throw new JsonProblem($"'{field}' is not a finite number", reader.TokenStartIndex);
        return v;
    }

    /// <summary>An integer in int range at the current token (1 and 1.0 both accepted, as Python compares them equal).</summary>
    public static int Integer(ref Utf8JsonReader reader, string field)
    {
        if (reader.TokenType != JsonTokenType.Number)
            throw new JsonProblem($"'{field}' must be an integer, not {Describe(reader.TokenType)}", reader.TokenStartIndex);
        if (reader.TryGetInt32(out int i)) return i;
        if (reader.TryGetDouble(out double v) && v == Math.Floor(v) && v >= int.MinValue && v <= int.MaxValue) return (int)v;
        throw new JsonProblem($"'{field}' must be an integer between {int.MinValue} and {int.MaxValue}", reader.TokenStartIndex);
    }

    /// <summary>0/1 or false/true.</summary>
    public static bool Flag(ref Utf8JsonReader reader, string field)
    {
        switch (reader.TokenType)
        {
            case JsonTokenType.True: return true;
            case JsonTokenType.False: return false;
            case JsonTokenType.Number when reader.TryGetDouble(out double v) && (v == 0 || v == 1): return v == 1;
            default: throw new JsonProblem($"'{field}' must be 0 or 1", reader.TokenStartIndex);
        }
    }

    public static string? String(ref Utf8JsonReader reader, string field) => reader.TokenType switch
    {
        JsonTokenType.String => reader.GetString(),
        JsonTokenType.Null => null,
        _ => throw new JsonProblem($"'{field}' must be a string", reader.TokenStartIndex),
    };

    /// <summary>An array of finite numbers (reader on StartArray; ends on EndArray).</summary>
    public static double[] NumberArray(ref Utf8JsonReader reader, string field)
    {
        if (reader.TokenType != JsonTokenType.StartArray)
            throw new JsonProblem($"'{field}' must be a list of numbers, not {Describe(reader.TokenType)}", reader.TokenStartIndex);
        var values = new List<double>(8);
        Next(ref reader);
        while (reader.TokenType != JsonTokenType.EndArray)
        {
            values.Add(Number(ref reader, field));
            Next(ref reader);
        }
        return values.ToArray();
    }

    /// <summary>[x, y, w, h].</summary>
    public static double[] Box(ref Utf8JsonReader reader)
    {
        long at = reader.TokenStartIndex;
        var v = NumberArray(ref reader, "bbox");
        if (v.Length != 4) throw new JsonProblem($"'bbox' must be [x, y, w, h], got {v.Length} numbers", at);
        return v;
    }

    /// <summary>8 numbers x1,y1,…,x4,y4 (null when the value is null).</summary>
    public static Quadrilateral? Points(ref Utf8JsonReader reader, string field)
    {
        if (reader.TokenType == JsonTokenType.Null) return null;
        long at = reader.TokenStartIndex;
        var v = NumberArray(ref reader, field);
        if (v.Length != 8) throw new JsonProblem($"'{field}' must be 8 numbers x1,y1,...,x4,y4 (TL, BL, BR, TR), got {v.Length}", at);
        return Quadrilateral.From(v);
    }

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
