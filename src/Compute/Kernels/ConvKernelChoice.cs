namespace NanoDet.Compute.Kernels;

/// <summary>The kernel chosen for one call and the trials behind the choice (empty when pinned or forced).</summary>
public sealed record ConvKernelChoice(string CallKey, string Description, string Kernel, string Reason, IReadOnlyList<ConvKernelTrial> Trials);
