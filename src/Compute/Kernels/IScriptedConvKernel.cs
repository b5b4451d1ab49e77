namespace NanoDet.Compute.Kernels;

/// <summary>
/// A convolution kernel that can also be written as a TorchScript expression, so a whole inference graph that uses it
/// runs as one TorchScript function (<c>NanoDet.Export.TorchScriptGraphBuilder</c>). The expression computes exactly
/// what <see cref="IConvKernel.Forward"/> computes: the same libtorch operators in the same order.
/// </summary>
public interface IScriptedConvKernel : IConvKernel
{
    /// <summary>
    /// The expression for x [N, in, H, W] (<paramref name="inputShape"/>), weight [out, in/groups, kH, kW] and bias
    /// [out] (null: none), given as TorchScript value names.
    /// </summary>
    string Script(string x, string weight, string? bias, long[] inputShape, in ConvGeometry geometry);
}
