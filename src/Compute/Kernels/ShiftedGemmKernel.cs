using static TorchSharp.torch;

namespace NanoDet.Compute.Kernels;

/// <summary>
/// A dense k×k convolution with unit stride as kH·kW matrix products, one per kernel tap, with no im2col buffer. The
/// zero-padded input is laid out channels-last and flattened to rows [N·Hp·Wp, in]; for tap (i, j) the rows each
/// output needs are the same rows shifted by i·Wp + j, i.e. one contiguous slice of that matrix. Each tap is then a
/// single GEMM [N·Hp·Wp, in] × [in, out] accumulated into the output rows, computed on the padded grid; rows outside
/// the valid H'×W' region (the padding margin, a few percent of a feature map) are computed and dropped.
/// </summary>
internal sealed class ShiftedGemmKernel : IConvKernel
{
    public const string KernelName = "shifted-gemm";

    public string Name => KernelName;

    public bool Supports(in ConvCall call)
    {
        var g = call.Geometry;
        return g.Groups == 1 && g.StrideH == 1 && g.StrideW == 1 && (g.KernelH > 1 || g.KernelW > 1) && g.InChannels >= 8;
    }

    public Tensor Forward(Tensor x, Tensor weight, Tensor? bias, in ConvGeometry g)
    {
        using var scope = NewDisposeScope();
        long n = x.shape[0], h = x.shape[2], w = x.shape[3];
        long hp = h + 2 * g.PadH, wp = w + 2 * g.PadW, oh = g.OutH(h), ow = g.OutW(w);
        long rowsPerBatch = n * hp * wp;
        long reach = (g.KernelH - 1) * g.DilationH * wp + (g.KernelW - 1) * g.DilationW;
        // [N, H, W, in] → zero-padded [N, Hp, Wp, in] → rows [N·Hp·Wp + reach, in] (the tail keeps the last tap in range).
        var padded = nn.functional.pad(x.permute(0, 2, 3, 1), [0, 0, g.PadW, g.PadW, g.PadH, g.PadH]);
        var rows = nn.functional.pad(padded.reshape(rowsPerBatch, g.InChannels), [0, 0, 0, reach]);
        Tensor? y = null;
        for (long i = 0; i < g.KernelH; i++)
        {
            for (long j = 0; j < g.KernelW; j++)
            {
                var shifted = rows.narrow(0, i * g.DilationH * wp + j * g.DilationW, rowsPerBatch);
                var tap = weight.select(3, j).select(2, i).t();
                y = y is null
                    ? bias is null ? shifted.mm(tap) : bias.addmm(shifted, tap)
                    : y.addmm(shifted, tap);
            }
        }
        var valid = y!.view(n, hp, wp, g.OutChannels).narrow(1, 0, oh).narrow(2, 0, ow).contiguous();
        return valid.permute(0, 3, 1, 2).MoveToOuterDisposeScope();
    }
}
