namespace NanoDet.Inference.Errors;

/// <summary>
/// Unusable input data (a malformed annotation file, an unreadable checkpoint, ...): the CLI prints the message
/// as one line and exits with code 1. Messages name the file and, where known, the line or entry.
/// </summary>
public sealed class InputDataException : Exception
{
    public InputDataException(string message) : base(message) { }
    public InputDataException(string message, Exception inner) : base(message, inner) { }
}
