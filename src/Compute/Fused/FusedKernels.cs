using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace NanoDet.Compute.Fused;

/// <summary>What a fused kernel applies to each output after adding the bias.</summary>
public enum FusedActivation
{
    /// <summary>Nothing.</summary>
    None,

    /// <summary>max(v, 0).</summary>
    Relu,

    /// <summary>v for v ≥ 0, slope·v below (slope in [0, 1]).</summary>
    Leaky,

    /// <summary>min(max(v, 0), 6).</summary>
    Relu6,
}

/// <summary>The activation a kernel applies as it stores its outputs (the "epilogue").</summary>
public readonly struct Epilogue(FusedActivation kind, float slope = 0f)
{
    public FusedActivation Kind { get; } = kind;

    public float Slope { get; } = slope;

    public static Epilogue None => default;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public Vector256<float> Apply(Vector256<float> v) => Kind switch
    {
        FusedActivation.None => v,
        FusedActivation.Relu => Avx.Max(v, Vector256<float>.Zero),
        // For a slope in [0, 1], max(v, slope·v) is v above zero and slope·v below.
        FusedActivation.Leaky => Avx.Max(v, Avx.Multiply(v, Vector256.Create(Slope))),
        _ => Avx.Min(Avx.Max(v, Vector256<float>.Zero), Vector256.Create(6f)),
    };

    public float Apply(float v) => Kind switch
    {
        FusedActivation.None => v,
        FusedActivation.Relu => v > 0 ? v : 0,
        FusedActivation.Leaky => v > 0 ? v : v * Slope,
        _ => Math.Clamp(v, 0f, 6f),
    };
}

/// <summary>
/// The register-blocked kernels of the fused CPU path (AVX2 + FMA, 8 floats per vector). They read and write raw
/// float32 memory; the callers (<see cref="FusedProgram"/>'s operations) own the buffers and guarantee that every
/// buffer has <see cref="Slack"/> readable floats past its end, because the kernels read whole tiles and drop the
/// lanes past an edge instead of branching per element.
/// </summary>
public static unsafe class FusedKernels
{
    /// <summary>Rows (output channels) per matrix tile.</summary>
    public const int TileRows = 6;

    /// <summary>Columns (output positions) per matrix tile: two vectors.</summary>
    public const int TileCols = 16;

    /// <summary>Readable floats every buffer must have past its last element.</summary>
    public const int Slack = 64;

    /// <summary>True when this CPU has the instructions the kernels use.</summary>
    public static bool IsSupported => Avx2.IsSupported && Fma.IsSupported;

    /// <summary>
    /// Packs a weight matrix w [M, K] (row-major) into tiles of <see cref="TileRows"/> rows, [⌈M/6⌉][K][6], rows
    /// past M zero, so the matrix kernel reads one tile's column as six consecutive floats.
    /// </summary>
    public static float[] PackRows(ReadOnlySpan<float> w, int m, int k)
    {
        int blocks = (m + TileRows - 1) / TileRows;
        var packed = new float[blocks * TileRows * k];
        for (int r = 0; r < m; r++)
        {
            int block = r / TileRows, lane = r % TileRows;
            for (int i = 0; i < k; i++) packed[(block * k + i) * TileRows + lane] = w[r * k + i];
        }
        return packed;
    }

    /// <summary>A bias [M] padded with zeros to whole tiles, [⌈M/6⌉·6].</summary>
    public static float[] PackBias(ReadOnlySpan<float> bias, int m)
    {
        var packed = new float[(m + TileRows - 1) / TileRows * TileRows];
        bias[..m].CopyTo(packed);
        return packed;
    }

    /// <summary>
    /// One 6 × 16 output tile: c[r, j] = act(bias[r] + Σ_i a[i·6 + r] · b[offsets[i] + j]) for r &lt; rows,
    /// j &lt; cols; c rows are <paramref name="ldc"/> floats apart. <paramref name="a"/> is one packed tile of
    /// <see cref="PackRows"/>; <paramref name="offsets"/> places each reduction step's 16 inputs (a 1×1 convolution:
    /// one channel row; a k×k convolution: one tap of one channel, see <see cref="PaddedPlanes"/>).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    [SkipLocalsInit]
    public static void MatrixTile(float* a, float* b, int* offsets, int k, float* bias, float* c, long ldc, int rows, int cols, Epilogue epilogue)
    {
        var c00 = Vector256.Create(bias[0]);
        var c10 = Vector256.Create(bias[1]);
        var c20 = Vector256.Create(bias[2]);
        var c30 = Vector256.Create(bias[3]);
        var c40 = Vector256.Create(bias[4]);
        var c50 = Vector256.Create(bias[5]);
        Vector256<float> c01 = c00, c11 = c10, c21 = c20, c31 = c30, c41 = c40, c51 = c50;
        for (int i = 0; i < k; i++, a += TileRows)
        {
            float* p = b + offsets[i];
            var b0 = Avx.LoadVector256(p);
            var b1 = Avx.LoadVector256(p + 8);
            var w = Vector256.Create(a[0]);
            c00 = Fma.MultiplyAdd(w, b0, c00);
            c01 = Fma.MultiplyAdd(w, b1, c01);
            w = Vector256.Create(a[1]);
            c10 = Fma.MultiplyAdd(w, b0, c10);
            c11 = Fma.MultiplyAdd(w, b1, c11);
            w = Vector256.Create(a[2]);
            c20 = Fma.MultiplyAdd(w, b0, c20);
            c21 = Fma.MultiplyAdd(w, b1, c21);
            w = Vector256.Create(a[3]);
            c30 = Fma.MultiplyAdd(w, b0, c30);
            c31 = Fma.MultiplyAdd(w, b1, c31);
            w = Vector256.Create(a[4]);
            c40 = Fma.MultiplyAdd(w, b0, c40);
            c41 = Fma.MultiplyAdd(w, b1, c41);
            w = Vector256.Create(a[5]);
            c50 = Fma.MultiplyAdd(w, b0, c50);
            c51 = Fma.MultiplyAdd(w, b1, c51);
        }
        // A whole tile goes straight to c; an edge tile through a scratch tile, of which only the valid part is copied.
        bool whole = rows == TileRows && cols == TileCols;
        float* t = stackalloc float[TileRows * TileCols];
        float* d = whole ? c : t;
        long ld = whole ? ldc : TileCols;
        Store2(d, epilogue, c00, c01);
        Store2(d + ld, epilogue, c10, c11);
        Store2(d + 2 * ld, epilogue, c20, c21);
        Store2(d + 3 * ld, epilogue, c30, c31);
        Store2(d + 4 * ld, epilogue, c40, c41);
        Store2(d + 5 * ld, epilogue, c50, c51);
        if (!whole) CopyTile(t, rows, cols, c, ldc);
    }

    /// <summary>The valid rows × cols of a 16-column scratch tile into y (rows <paramref name="ldy"/> apart).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void CopyTile(float* t, int rows, int cols, float* y, long ldy)
    {
        for (int r = 0; r < rows; r++)
            new ReadOnlySpan<float>(t + r * TileCols, cols).CopyTo(new Span<float>(y + r * ldy, cols));
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Store2(float* c, Epilogue e, Vector256<float> v0, Vector256<float> v1)
    {
        Avx.Store(c, e.Apply(v0));
        Avx.Store(c + 8, e.Apply(v1));
    }

    /// <summary>
    /// One depthwise (or pooling) tile: 4 output rows × 16 columns of one channel. <paramref name="src"/> points at the
    /// channel's first parity plane, advanced to input row row0·stride and column x0 (<see cref="PaddedPlanes"/>);
    /// tap t of output (r, j) reads src + taps[t] + r·rowStep + j (<see cref="PaddedPlanes.TapOffsets"/>) and is
    /// weighted by w[t]. Rows past <paramref name="rows"/> and columns past <paramref name="cols"/> are computed and dropped.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    [SkipLocalsInit]
    public static void DepthwiseTile(float* src, int* taps, int tapCount, long rowStep, float* w, float bias,
        float* y, long ldy, int rows, int cols, Epilogue epilogue)
    {
        var a00 = Vector256.Create(bias);
        Vector256<float> a01 = a00, a10 = a00, a11 = a00, a20 = a00, a21 = a00, a30 = a00, a31 = a00;
        {
            for (int t = 0; t < tapCount; t++)
            {
                var wv = Vector256.Create(w[t]);
                float* p = src + taps[t];
                a00 = Fma.MultiplyAdd(wv, Avx.LoadVector256(p), a00);
                a01 = Fma.MultiplyAdd(wv, Avx.LoadVector256(p + 8), a01);
                p += rowStep;
                a10 = Fma.MultiplyAdd(wv, Avx.LoadVector256(p), a10);
                a11 = Fma.MultiplyAdd(wv, Avx.LoadVector256(p + 8), a11);
                p += rowStep;
                a20 = Fma.MultiplyAdd(wv, Avx.LoadVector256(p), a20);
                a21 = Fma.MultiplyAdd(wv, Avx.LoadVector256(p + 8), a21);
                p += rowStep;
                a30 = Fma.MultiplyAdd(wv, Avx.LoadVector256(p), a30);
                a31 = Fma.MultiplyAdd(wv, Avx.LoadVector256(p + 8), a31);
            }
        }
        StoreTile4(y, ldy, rows, cols, epilogue, a00, a01, a10, a11, a20, a21, a30, a31);
    }

    /// <summary>The pooling counterpart of <see cref="DepthwiseTile"/>: the maximum over the k×k window (planes padded with −∞).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    [SkipLocalsInit]
    public static void MaxPoolTile(float* src, int* taps, int tapCount, long rowStep, float* y, long ldy, int rows, int cols)
    {
        var a00 = Vector256.Create(float.NegativeInfinity);
        Vector256<float> a01 = a00, a10 = a00, a11 = a00, a20 = a00, a21 = a00, a30 = a00, a31 = a00;
        {
            for (int t = 0; t < tapCount; t++)
            {
                float* p = src + taps[t];
                a00 = Avx.Max(a00, Avx.LoadVector256(p));
                a01 = Avx.Max(a01, Avx.LoadVector256(p + 8));
                p += rowStep;
                a10 = Avx.Max(a10, Avx.LoadVector256(p));
                a11 = Avx.Max(a11, Avx.LoadVector256(p + 8));
                p += rowStep;
                a20 = Avx.Max(a20, Avx.LoadVector256(p));
                a21 = Avx.Max(a21, Avx.LoadVector256(p + 8));
                p += rowStep;
                a30 = Avx.Max(a30, Avx.LoadVector256(p));
                a31 = Avx.Max(a31, Avx.LoadVector256(p + 8));
            }
        }
        StoreTile4(y, ldy, rows, cols, Epilogue.None, a00, a01, a10, a11, a20, a21, a30, a31);
    }

    // Inlined into the tile kernels when the JIT agrees; compiled fully optimised from the first call when not (a
    // not-yet-optimised copy made every depthwise tile's store slow for the first few dozen forwards).
    [MethodImpl(MethodImplOptions.AggressiveInlining | MethodImplOptions.AggressiveOptimization)]
    [SkipLocalsInit]
    private static void StoreTile4(float* y, long ldy, int rows, int cols, Epilogue e,
        Vector256<float> a00, Vector256<float> a01, Vector256<float> a10, Vector256<float> a11,
        Vector256<float> a20, Vector256<float> a21, Vector256<float> a30, Vector256<float> a31)
    {
        bool whole = rows == 4 && cols == TileCols;
        float* t = stackalloc float[4 * TileCols];
        float* d = whole ? y : t;
        long ld = whole ? ldy : TileCols;
        Store2(d, e, a00, a01);
        Store2(d + ld, e, a10, a11);
        Store2(d + 2 * ld, e, a20, a21);
        Store2(d + 3 * ld, e, a30, a31);
        if (!whole) CopyTile(t, rows, cols, y, ldy);
    }

    /// <summary>even[i] = src[2i] and odd[i] = src[2i + 1] for i &lt; n.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Deinterleave(float* src, float* even, float* odd, int n)
    {
        int i = 0;
        for (; i + 8 <= n; i += 8)
        {
            var lo = Avx.LoadVector256(src + 2 * i);
            var hi = Avx.LoadVector256(src + 2 * i + 8);
            // Within each 128-bit lane: [lo0 lo2 hi0 hi2 | lo4 lo6 hi4 hi6]; the 64-bit permute puts the lanes in order.
            var e = Avx.Shuffle(lo, hi, 0b10_00_10_00);
            var o = Avx.Shuffle(lo, hi, 0b11_01_11_01);
            Avx.Store(even + i, Avx2.Permute4x64(e.AsDouble(), 0b11_01_10_00).AsSingle());
            Avx.Store(odd + i, Avx2.Permute4x64(o.AsDouble(), 0b11_01_10_00).AsSingle());
        }
        for (; i < n; i++)
        {
            even[i] = src[2 * i];
            odd[i] = src[2 * i + 1];
        }
    }

    /// <summary>x[i] = act(x[i]) for i &lt; n.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Activate(float* x, long n, Epilogue e)
    {
        long i = 0;
        for (; i + 8 <= n; i += 8) Avx.Store(x + i, e.Apply(Avx.LoadVector256(x + i)));
        for (; i < n; i++) x[i] = e.Apply(x[i]);
    }
}
