using static TorchSharp.torch;

namespace NanoDet.Compute.Kernels;

/// <summary>
/// A 1×1 convolution as a batched matrix product in the NCHW layout: [out, in] × [N, in, H·W] → [N, out, H·W]. No
/// transposition of the activations; the output is NCHW-contiguous.
/// </summary>
internal sealed class BatchedGemmKernel : IConvKernel
{
    public const string KernelName = "gemm-1x1-nchw";

    public string Name => KernelName;

    public bool Supports(in ConvCall call) => call.Geometry.IsPointwise;

    public Tensor Forward(Tensor x, Tensor weight, Tensor? bias, in ConvGeometry g)
    {
        long n = x.shape[0], h = x.shape[2], w = x.shape[3];
        using var cols = x.reshape(n, g.InChannels, h * w);
        using var w2 = weight.view(g.OutChannels, g.InChannels);
        using var y = w2.matmul(cols);
        var y4 = y.view(n, g.OutChannels, h, w);
        if (bias is null) return y4;
        using (y4) return y4 + bias.view(1, g.OutChannels, 1, 1);
    }
}
