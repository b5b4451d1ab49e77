namespace NanoDet.Abstractions.Coco;

/// <summary>
/// A value of a COCO JSON file that is not what the format asks for, located by its byte offset in the content (after
/// a UTF-8 byte-order mark); readers turn it into an <see cref="NanoDet.Inference.Errors.InputDataException"/> naming file, entry and
/// line (<see cref="CocoJson.LineOf"/>).
/// </summary>
/// <param name="message">What is wrong, e.g. <c>'bbox' must be [x, y, w, h], got 3 numbers</c>.</param>
/// <param name="offset">Byte offset of the offending token or entry.</param>
public sealed class CocoFormatException(string message, long offset) : Exception(message)
{
    public long Offset { get; } = offset;

    /// <summary>The entry it was found in (<c>images[3]</c>, <c>annotations[0]</c>), or null at the top level.</summary>
    public string? Entry { get; init; }

    /// <summary>True when the content ended inside a structure: nothing after it can be read.</summary>
    public bool EndOfData { get; init; }
}
