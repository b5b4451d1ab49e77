namespace NanoDet.Evaluators.Io;

/// <summary>A malformed value inside a JSON file, located by byte offset; turned into an InputDataException by the reader.</summary>
internal sealed class JsonProblem(string message, long offset) : Exception(message)
{
    public long Offset { get; } = offset;
}
