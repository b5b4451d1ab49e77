using System.Runtime.InteropServices;
using NanoDet.Inference.Errors;
using NanoDet.Inference.Geometry;
using OpenCvSharp;

namespace NanoDet.Inference.Preprocessing;

/// <summary>
/// How an image becomes network input, shared by the training pipeline's deterministic path and every deployment:
/// the output size and resize matrix (docs/reference.md#geometric-augmentation), the bilinear warp with a black
/// border, and the per-channel normalisation to CHW (docs/reference.md#colour-augmentation-and-normalisation).
/// </summary>
public static class InputTransform
{
    /// <summary>Translation that puts the image centre at the origin.</summary>
    public static WarpMatrix Center(int srcW, int srcH) => WarpMatrix.Translation(-srcW / 2.0, -srcH / 2.0);

    /// <summary>
    /// Output size: the input size, or with keep_ratio the input size shrunk to the image aspect (each side
    /// truncated, then rounded up to a multiple of <paramref name="divisible"/> when positive).
    /// </summary>
    public static (int W, int H) OutputSize(int srcW, int srcH, int dstW, int dstH, bool keepRatio, int divisible)
    {
        if (!keepRatio) return (dstW, dstH);
        double r = (double)srcW / srcH < (double)dstW / dstH ? (double)dstH / srcH : (double)dstW / srcW;
        int w = (int)(r * srcW), h = (int)(r * srcH);
        if (divisible > 0)
        {
            w = Math.Max(divisible, (w + divisible - 1) / divisible * divisible);
            h = Math.Max(divisible, (h + divisible - 1) / divisible * divisible);
        }
        return (w, h);
    }

    /// <summary>
    /// ResizeM: diag(w/W, h/H) without keep_ratio; with it T(w/2, h/2) · diag(r, r) · T(−W/2, −H/2) where r fits
    /// the image into (w, h).
    /// </summary>
    public static WarpMatrix Resize(int srcW, int srcH, int dstW, int dstH, bool keepRatio)
    {
        if (!keepRatio) return WarpMatrix.Scaling((double)dstW / srcW, (double)dstH / srcH);
        double r = (double)srcW / srcH < (double)dstW / dstH ? (double)dstH / srcH : (double)dstW / srcW;
        return WarpMatrix.Translation(0.5 * dstW, 0.5 * dstH) * WarpMatrix.Scaling(r, r) * Center(srcW, srcH);
    }

    /// <summary>The 3×3 CV_64F matrix OpenCV's warps take (caller disposes).</summary>
    public static Mat ToCvMatrix(WarpMatrix m)
    {
        var mat = new Mat(3, 3, MatType.CV_64FC1);
        var a = m.ToArray();
        for (int i = 0; i < 9; i++) mat.Set(i / 3, i % 3, a[i]);
        return mat;
    }

    /// <summary><paramref name="bgr"/> warped by <paramref name="m"/> into outW × outH: bilinear, black border (caller disposes).</summary>
    public static Mat Warp(Mat bgr, WarpMatrix m, int outW, int outH)
    {
        var dst = new Mat();
        using var mat = ToCvMatrix(m);
        Cv2.WarpPerspective(bgr, dst, mat, new Size(outW, outH), InterpolationFlags.Linear, BorderTypes.Constant, Scalar.All(0));
        return dst;
    }

    /// <summary>
    /// (v − mean/255) / (std/255) per BGR channel, written as CHW: float32 [3, H, W] flattened. Input CV_32FC3 in
    /// [0, 1] units.
    /// </summary>
    public static float[] NormalizeToChw(Mat f32, IReadOnlyList<double> mean, IReadOnlyList<double> std)
    {
        var output = new float[3 * f32.Rows * f32.Cols];
        NormalizeToChw(f32, mean, std, output);
        return output;
    }

    /// <summary>As <see cref="NormalizeToChw(Mat, IReadOnlyList{double}, IReadOnlyList{double})"/> into a caller's buffer of 3·H·W floats.</summary>
    public static void NormalizeToChw(Mat f32, IReadOnlyList<double> mean, IReadOnlyList<double> std, Span<float> output)
    {
        int plane = f32.Rows * f32.Cols;
        var src = Pixels(f32);
        float m0 = (float)(mean[0] / 255), m1 = (float)(mean[1] / 255), m2 = (float)(mean[2] / 255);
        float s0 = (float)(std[0] / 255), s1 = (float)(std[1] / 255), s2 = (float)(std[2] / 255);
        var b = output[..plane];
        var g = output.Slice(plane, plane);
        var r = output.Slice(2 * plane, plane);
        for (int i = 0, j = 0; i < plane; i++, j += 3)
        {
            b[i] = (src[j] - m0) / s0;
            g[i] = (src[j + 1] - m1) / s1;
            r[i] = (src[j + 2] - m2) / s2;
        }
    }

    /// <summary>
    /// One image as network input: resized (keeping the aspect ratio or not) into the network's
    /// <paramref name="inputWidth"/> × <paramref name="inputHeight"/>, normalised, zero-padded at the bottom/right.
    /// Returns float32 [3, inputHeight, inputWidth] flattened and the matrix from image to input pixels.
    /// </summary>
    public static float[] ToNetworkInput(Mat bgr, int inputWidth, int inputHeight, bool keepRatio,
        IReadOnlyList<double> mean, IReadOnlyList<double> std, out WarpMatrix warp)
    {
        if (bgr.Type() != MatType.CV_8UC3) throw new ArgumentException("expected an 8-bit BGR image", nameof(bgr));
        var (w, h) = OutputSize(bgr.Cols, bgr.Rows, inputWidth, inputHeight, keepRatio, 0);
        warp = Resize(bgr.Cols, bgr.Rows, w, h, keepRatio);
        using var dst = Warp(bgr, warp, w, h);
        using var f32 = new Mat();
        dst.ConvertTo(f32, MatType.CV_32FC3, 1.0 / 255);
        return PadBottomRight(NormalizeToChw(f32, mean, std), w, h, inputWidth, inputHeight);
    }

    /// <summary>
    /// A CHW image [3, h, w] zero-padded at the bottom and right to [3, inputHeight, inputWidth] (as the batch
    /// loader pads); returned as is when it already has that size.
    /// </summary>
    public static float[] PadBottomRight(float[] chw, int w, int h, int inputWidth, int inputHeight)
    {
        if (w > inputWidth || h > inputHeight)
            throw new ArgumentException($"a {w}x{h} image does not fit the network input {inputWidth}x{inputHeight}");
        if (w == inputWidth && h == inputHeight) return chw;
        var padded = new float[3 * inputHeight * inputWidth];
        for (int c = 0; c < 3; c++)
            for (int y = 0; y < h; y++)
                Array.Copy(chw, (c * h + y) * w, padded, (c * inputHeight + y) * inputWidth, w);
        return padded;
    }

    /// <summary>The float pixels of a continuous CV_32FC3 Mat.</summary>
    private static unsafe Span<float> Pixels(Mat m)
    {
        if (!m.IsContinuous() || m.Type() != MatType.CV_32FC3) throw new ArgumentException("expected a continuous CV_32FC3 image", nameof(m));
        return new Span<float>((void*)m.Data, m.Rows * m.Cols * 3);
    }
}
