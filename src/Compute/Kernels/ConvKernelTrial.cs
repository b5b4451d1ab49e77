namespace NanoDet.Compute.Kernels;

/// <summary>One candidate tried on one call: its largest relative error against float64 (forward, input and weight
/// gradients) and its median time (forward, plus backward when training), or why it was not tried.</summary>
public sealed record ConvKernelTrial(string Kernel, double Error, double Milliseconds, bool Exact);
