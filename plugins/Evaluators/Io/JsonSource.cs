using System.Text;
using System.Text.Json;
using NanoDet.Abstractions.Coco;
using NanoDet.Abstractions.Plugins;
using NanoDet.Inference.Errors;

namespace NanoDet.Evaluators.Io;

/// <summary>
/// A JSON file read into memory, with the evaluator's error form "FILE: ENTRY (line N): MESSAGE" (the line is
/// computed from the byte offset only on error). Values are read with <see cref="CocoJson"/>.
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
    public Utf8JsonReader Reader() => CocoJson.Reader(Bytes);

    public InputDataException Fail(string where, long offset, string message) =>
        new($"{Path}: {where} (line {CocoJson.LineOf(Bytes, offset)}): {message}");

    public InputDataException Fail(string message) => new($"{Path}: {message}");

    /// <summary>A located problem: its entry, or <paramref name="topLevel"/> when it has none.</summary>
    public InputDataException Fail(CocoFormatException problem, string topLevel = "top level") =>
        Fail(problem.Entry ?? topLevel, problem.Offset, problem.Message);

    /// <summary>Wraps a syntax error of the JSON itself.</summary>
    public InputDataException Syntax(JsonException e) =>
        new($"{Path}: line {(e.LineNumber ?? 0) + 1}: invalid JSON: {CocoJson.SyntaxMessage(e)}", e);
}
