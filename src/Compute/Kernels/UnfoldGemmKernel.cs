using static TorchSharp.torch;

namespace NanoDet.Compute.Kernels;

/// <summary>
/// A dense k×k convolution as im2col + one matrix product: the input's sliding blocks [N, in·kH·kW, H'·W'] (unfold)
/// multiplied by the weight as [out, in·kH·kW]. The backward pass is a matrix product and a fold (col2im).
/// </summary>
internal sealed class UnfoldGemmKernel : IConvKernel
{
    public const string KernelName = "unfold-gemm";

    public string Name => KernelName;

    public bool Supports(in ConvCall call) => call.Geometry.Groups == 1 && !call.Geometry.IsPointwise;

    public Tensor Forward(Tensor x, Tensor weight, Tensor? bias, in ConvGeometry g)
    {
        long n = x.shape[0], oh = g.OutH(x.shape[2]), ow = g.OutW(x.shape[3]);
        using var cols = nn.functional.unfold(x, (g.KernelH, g.KernelW), (g.DilationH, g.DilationW),
            (g.PadH, g.PadW), (g.StrideH, g.StrideW));
        using var w2 = weight.view(g.OutChannels, -1);
        using var y = w2.matmul(cols);
        var y4 = y.view(n, g.OutChannels, oh, ow);
        if (bias is null) return y4;
        using (y4) return y4 + bias.view(1, g.OutChannels, 1, 1);
    }
}
