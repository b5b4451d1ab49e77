using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace NanoDet.Compute.Fused;

/// <summary>
/// The layout a k×k convolution or pooling reads its input in: every channel copied into zero- (or −∞-) padded rows,
/// and for stride 2 split into an even-column and an odd-column plane, so that every tap of a row of outputs reads
/// consecutive floats. Channel c, parity q (column mod stride), padded row r, column j holds input
/// (r − padTop, j·stride + q − padLeft), or the pad value outside the input.
/// </summary>
public sealed unsafe class PaddedPlanes
{
    /// <param name="channels">Input channels C.</param>
    /// <param name="height">Input height H.</param>
    /// <param name="width">Input width W.</param>
    /// <param name="kernelH">Kernel height.</param>
    /// <param name="kernelW">Kernel width.</param>
    /// <param name="stride">1 or 2 (both axes).</param>
    /// <param name="padH">Rows of padding above (and, as needed, below).</param>
    /// <param name="padW">Columns of padding left (and, as needed, right).</param>
    /// <param name="outH">Output rows the caller computes.</param>
    /// <param name="outW">Output columns the caller computes.</param>
    /// <param name="padValue">0 for convolutions, −∞ for max pooling.</param>
    public PaddedPlanes(int channels, int height, int width, int kernelH, int kernelW, int stride, int padH, int padW, int outH, int outW, float padValue)
    {
        if (stride is not (1 or 2)) throw new NotSupportedException($"stride {stride} (the fused kernels take 1 or 2)");
        (Channels, Height, Width, Stride, PadH, PadW, PadValue) = (channels, height, width, stride, padH, padW, padValue);
        // Rows the taps reach: the last output row's window, plus the 4-row tile overrun (read, then dropped).
        int rowsNeeded = ((outH + 3) / 4 * 4 - 1) * stride + kernelH;
        Rows = Math.Max(rowsNeeded, height + padH);
        // Padded row width: whole 16-column tiles of outputs plus the widest tap reach.
        PaddedWidth = Math.Max(((outW + 15) / 16 * 16 - 1) * stride + kernelW, width + padW);
        RowStride = ((PaddedWidth + stride - 1) / stride + 7) / 8 * 8;
        PlaneStride = (long)Rows * RowStride;
        ChannelStride = stride * PlaneStride;
    }

    public int Channels { get; }

    public int Height { get; }

    public int Width { get; }

    public int Stride { get; }

    public int PadH { get; }

    public int PadW { get; }

    public float PadValue { get; }

    /// <summary>Padded rows per plane.</summary>
    public int Rows { get; }

    /// <summary>Padded row width before the parity split.</summary>
    public int PaddedWidth { get; }

    /// <summary>Floats from one row of a plane to the next.</summary>
    public int RowStride { get; }

    /// <summary>Floats from one parity plane to the next.</summary>
    public long PlaneStride { get; }

    /// <summary>Floats from one channel's planes to the next.</summary>
    public long ChannelStride { get; }

    /// <summary>
    /// Offsets of a k×k window's taps from the window's origin in channel 0 (row-major taps): tap (ky, kx) is in parity
    /// plane kx mod stride, row ky, column kx / stride.
    /// </summary>
    public int[] TapOffsets(int kernelH, int kernelW)
    {
        var taps = new int[kernelH * kernelW];
        for (int ky = 0, t = 0; ky < kernelH; ky++)
            for (int kx = 0; kx < kernelW; kx++, t++)
                taps[t] = checked((int)((kx % Stride) * PlaneStride + (long)ky * RowStride + kx / Stride));
        return taps;
    }

    /// <summary>Floats the planes of one image take (without slack).</summary>
    public long Floats => Channels * ChannelStride;

    /// <summary>Floats of scratch <see cref="Fill"/> needs for one padded row.</summary>
    public int RowScratch => 2 * RowStride + 16;

    /// <summary>Scratch for the planes of one image followed by one row scratch per part (<see cref="RowScratchOf"/>).</summary>
    public long ScratchFloats(int parts) => Floats + FusedKernels.Slack + parts * (long)(RowScratch + FusedKernels.Slack);

    /// <summary>Part <paramref name="part"/>'s row scratch in a scratch laid out as <see cref="ScratchFloats"/> says.</summary>
    public float* RowScratchOf(float* scratch, int part) => scratch + Floats + FusedKernels.Slack + part * (long)(RowScratch + FusedKernels.Slack);

    /// <summary>
    /// Copies channels [<paramref name="c0"/>, <paramref name="c1"/>) of x [C, H, W] (contiguous) into the planes at
    /// <paramref name="planes"/>; <paramref name="row"/> is scratch of <see cref="RowScratch"/> floats.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void Fill(float* x, float* planes, float* row, int c0, int c1)
    {
        var padVector = Vector256.Create(PadValue);
        int width = Width;
        for (int c = c0; c < c1; c++)
        {
            float* channel = planes + c * ChannelStride;
            float* input = x + (long)c * Height * width;
            for (int r = 0; r < Rows; r++)
            {
                int h = r - PadH;
                float* dst = Stride == 1 ? channel + (long)r * RowStride : row;
                int length = Stride == 1 ? RowStride : 2 * RowStride;
                if (h < 0 || h >= Height) PadRow(dst, 0, length, padVector);
                else PaddedRow(input + (long)h * width, dst, length, padVector);
                if (Stride == 2)
                {
                    float* even = channel + (long)r * RowStride;
                    FusedKernels.Deinterleave(row, even, even + PlaneStride, RowStride);
                }
            }
        }
    }

    /// <summary>dst[0, length) = the input row placed at column PadW, the pad value around it.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private void PaddedRow(float* src, float* dst, int length, Vector256<float> pad)
    {
        int padW = PadW, width = Width;
        // Left margin (vector stores from 0, later overwritten by the row), the row, then the right margin.
        int i = 0;
        for (; i < padW; i += 8) Avx.Store(dst + i, pad);
        float* d = dst + padW;
        int j = 0;
        for (; j + 8 <= width; j += 8) Avx.Store(d + j, Avx.LoadVector256(src + j));
        for (; j < width; j++) d[j] = src[j];
        PadRow(dst, padW + width, length, pad);
    }

    /// <summary>dst[from, length) = the pad value.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void PadRow(float* dst, int from, int length, Vector256<float> pad)
    {
        int i = from;
        for (; i + 8 <= length; i += 8) Avx.Store(dst + i, pad);
        for (; i < length; i++) dst[i] = pad.GetElement(0);
    }
}
