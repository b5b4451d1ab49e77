using static TorchSharp.torch;

namespace NanoDet.Compute.Kernels;

/// <summary>
/// A depthwise k×k convolution as kH·kW shifted multiply-adds: the zero-padded input is sliced once per kernel tap
/// (a strided view, no copy) and accumulated with that tap's per-channel weight. Elementwise work only, so it runs at
/// memory speed in either layout, where general convolution kernels handle one channel per group poorly.
/// </summary>
internal sealed class DepthwiseShiftKernel : IConvKernel
{
    public const string KernelName = "depthwise-shift";

    public string Name => KernelName;

    public bool Supports(in ConvCall call) => call.Geometry.IsDepthwise;

    public Tensor Forward(Tensor x, Tensor weight, Tensor? bias, in ConvGeometry g)
    {
        long c = g.OutChannels, oh = g.OutH(x.shape[2]), ow = g.OutW(x.shape[3]);
        using var scope = NewDisposeScope();
        var padded = g.PadH == 0 && g.PadW == 0 ? x : nn.functional.pad(x, [g.PadW, g.PadW, g.PadH, g.PadH]);
        var taps = weight.view(c, g.KernelH * g.KernelW);
        Tensor? sum = null;
        for (long i = 0; i < g.KernelH; i++)
        {
            long top = i * g.DilationH;
            var rows = padded.slice(2, top, top + g.StrideH * (oh - 1) + 1, g.StrideH);
            for (long j = 0; j < g.KernelW; j++)
            {
                long left = j * g.DilationW;
                var window = rows.slice(3, left, left + g.StrideW * (ow - 1) + 1, g.StrideW);
                var tap = taps.select(1, i * g.KernelW + j).view(1, c, 1, 1);
                sum = sum is null ? window * tap : sum.addcmul(window, tap, 1);
            }
        }
        if (bias is not null) sum = sum! + bias.view(1, c, 1, 1);
        return sum!.MoveToOuterDisposeScope();
    }
}
