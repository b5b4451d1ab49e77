using NanoDet.Inference.Errors;

namespace NanoDet.Abstractions.Plugins;

/// <summary>One progress report of a long plugin step.</summary>
/// <param name="Task">What is being done, e.g. <c>generating synthetic armor (train)</c>.</param>
/// <param name="Done">Units finished so far.</param>
/// <param name="Total">Units in all (0 = unknown).</param>
public sealed record ProgressUpdate(string Task, long Done, long Total);
