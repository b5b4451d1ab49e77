using static TorchSharp.torch;

namespace NanoDet.Compute.Kernels;

/// <summary>
/// One way to compute a 2-D convolution. Every implementation is an ordinary tensor program that autograd
/// differentiates, so a kernel choice changes speed and rounding, never the gradients' meaning or any global switch.
/// </summary>
public interface IConvKernel
{
    /// <summary>Short stable name, stored in caches and resume state.</summary>
    string Name { get; }

    /// <summary>Whether this kernel can compute <paramref name="call"/>.</summary>
    bool Supports(in ConvCall call);

    /// <summary>x [N, in, H, W], weight [out, in/groups, kH, kW], bias [out] or null → [N, out, H', W'].</summary>
    Tensor Forward(Tensor x, Tensor weight, Tensor? bias, in ConvGeometry geometry);
}
