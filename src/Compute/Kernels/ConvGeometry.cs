namespace NanoDet.Compute.Kernels;

/// <summary>
/// What a 2-D convolution computes, independent of its input: channels, kernel, stride, padding, dilation, groups and
/// whether it adds a bias. Square or rectangular kernels; zero padding only.
/// </summary>
public readonly record struct ConvGeometry(
    long InChannels, long OutChannels, long KernelH, long KernelW, long StrideH, long StrideW,
    long PadH, long PadW, long DilationH, long DilationW, long Groups, bool HasBias)
{
    /// <summary>Depthwise: one filter per input channel (groups = in = out).</summary>
    public bool IsDepthwise => Groups > 1 && Groups == InChannels && Groups == OutChannels;

    /// <summary>Dense 1×1 with unit stride and no padding: a plain matrix product over channels.</summary>
    public bool IsPointwise => KernelH == 1 && KernelW == 1 && StrideH == 1 && StrideW == 1 && PadH == 0 && PadW == 0 && Groups == 1;

    /// <summary>Output height for an input of height <paramref name="h"/>.</summary>
    public long OutH(long h) => (h + 2 * PadH - DilationH * (KernelH - 1) - 1) / StrideH + 1;

    /// <summary>Output width for an input of width <paramref name="w"/>.</summary>
    public long OutW(long w) => (w + 2 * PadW - DilationW * (KernelW - 1) - 1) / StrideW + 1;

    /// <summary>Multiply-adds of one forward pass over an input [n, in, h, w].</summary>
    public double Macs(long n, long h, long w) => (double)n * OutChannels * OutH(h) * OutW(w) * (InChannels / Groups) * KernelH * KernelW;

    /// <summary>Compact text, e.g. <c>64→106 1×1 s1 p0 g1</c>.</summary>
    public override string ToString()
    {
        var kernel = KernelH == KernelW ? $"{KernelH}×{KernelW}" : $"{KernelH}×{KernelW}";
        var stride = StrideH == StrideW ? $"s{StrideH}" : $"s{StrideH}x{StrideW}";
        var pad = PadH == PadW ? $"p{PadH}" : $"p{PadH}x{PadW}";
        var dil = DilationH == 1 && DilationW == 1 ? "" : $" d{DilationH}x{DilationW}";
        var groups = IsDepthwise ? " dw" : Groups == 1 ? "" : $" g{Groups}";
        return $"{InChannels}→{OutChannels} {kernel} {stride} {pad}{dil}{groups}";
    }
}
