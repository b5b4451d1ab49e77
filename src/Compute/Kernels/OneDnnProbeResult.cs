namespace NanoDet.Compute.Kernels;

/// <summary>
/// What the oneDNN probe decided: the instruction-set cap in force, where it came from (the user's environment, a
/// cached probe, a probe just run, or the fallback when probing was impossible), and per level tried whether every
/// probe convolution matched float64 (with the worst relative error).
/// </summary>
public sealed record OneDnnProbeResult(string Isa, string Source, string Reason, IReadOnlyList<OneDnnLevelResult> Levels, string? CachePath);

/// <summary>One oneDNN level tried by the probe.</summary>
public sealed record OneDnnLevelResult(string Isa, bool Exact, double WorstError, string WorstCase, string? Failure);
