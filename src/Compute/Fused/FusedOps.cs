using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace NanoDet.Compute.Fused;

/// <summary>The operations a <see cref="FusedProgram"/> runs. Shapes are [B, C, H, W] unless stated.</summary>
public static unsafe class FusedOps
{
    /// <summary>Part <paramref name="part"/> of <paramref name="parts"/> even shares of [0, n).</summary>
    public static (long Start, long End) Share(long n, int part, int parts) => (n * part / parts, n * (part + 1) / parts);

    /// <summary>
    /// A convolution with its BatchNorm already folded into <c>weight</c> [Cout, Cin/groups, kH, kW] and <c>bias</c>
    /// [Cout]: 1×1 stride 1 as a matrix product over the channel rows, depthwise (groups = Cin = Cout) as per-channel
    /// 4×16 tiles, any other ungrouped k×k as a matrix product over the taps of padded planes. Strides 1 and 2,
    /// dilation 1, zero padding.
    /// </summary>
    public sealed class Conv : FusedOp, IFusableEpilogue, IDisposable
    {
        private readonly int _cin, _cout, _h, _w, _oh, _ow, _kh, _kw, _stride;
        private readonly bool _pointwise, _depthwise;
        private readonly NativeFloats _weights, _bias;
        private readonly NativeInts _offsets;
        private readonly PaddedPlanes? _planes;

        /// <summary>True when the fused kernels compute this convolution.</summary>
        public static bool Supports(int cin, int cout, int kh, int kw, int strideH, int strideW, int dilationH, int dilationW, long groups) =>
            strideH == strideW && strideH is 1 or 2 && dilationH == 1 && dilationW == 1
            && (groups == 1 || (groups == cin && cin == cout)) && kh >= 1 && kw >= 1;

        /// <param name="output">[B, Cout, OH, OW].</param>
        /// <param name="input">[B, Cin, H, W].</param>
        /// <param name="weight">[Cout, Cin/groups, kH, kW], row-major.</param>
        /// <param name="bias">[Cout].</param>
        /// <param name="kh">Kernel height.</param>
        /// <param name="kw">Kernel width.</param>
        /// <param name="stride">1 or 2, both axes.</param>
        /// <param name="padH">Zero rows above and below.</param>
        /// <param name="padW">Zero columns left and right.</param>
        /// <param name="groups">1, or Cin = Cout for depthwise.</param>
        public Conv(FusedValue output, FusedValue input, ReadOnlySpan<float> weight, ReadOnlySpan<float> bias, int kh, int kw, int stride, int padH, int padW, long groups)
            : base(output, input)
        {
            (_cin, _h, _w) = ((int)input.Shape[1], (int)input.Shape[2], (int)input.Shape[3]);
            (_cout, _oh, _ow) = ((int)output.Shape[1], (int)output.Shape[2], (int)output.Shape[3]);
            (_kh, _kw, _stride) = (kh, kw, stride);
            if (!Supports(_cin, _cout, kh, kw, stride, stride, 1, 1, groups))
                throw new NotSupportedException($"convolution {_cin}→{_cout} {kh}×{kw} stride {stride} groups {groups}");
            _depthwise = groups != 1;
            _pointwise = !_depthwise && kh == 1 && kw == 1 && stride == 1 && padH == 0 && padW == 0;
            if (_depthwise)
            {
                _weights = new NativeFloats(weight);
                _bias = new NativeFloats(bias);
                _planes = new PaddedPlanes(_cin, _h, _w, kh, kw, stride, padH, padW, _oh, _ow, 0f);
                _offsets = new NativeInts(_planes.TapOffsets(kh, kw));
                return;
            }
            int k = _cin * kh * kw;
            _weights = new NativeFloats(FusedKernels.PackRows(weight, _cout, k));
            _bias = new NativeFloats(FusedKernels.PackBias(bias, _cout));
            var offsets = new int[k];
            if (_pointwise)
            {
                for (int i = 0; i < k; i++) offsets[i] = i * _h * _w;
            }
            else
            {
                _planes = new PaddedPlanes(_cin, _h, _w, kh, kw, stride, padH, padW, _oh, _ow, 0f);
                for (int c = 0, i = 0; c < _cin; c++)
                    for (int ky = 0; ky < kh; ky++)
                        for (int kx = 0; kx < kw; kx++, i++)
                            offsets[i] = checked((int)(c * _planes.ChannelStride + (kx % stride) * _planes.PlaneStride + (long)ky * _planes.RowStride + kx / stride));
            }
            _offsets = new NativeInts(offsets);
        }

        public Epilogue Epilogue { get; set; }

        /// <summary>Multiply-adds ×2 of one run.</summary>
        public long Flops => 2L * Output.Count * (_depthwise ? 1 : _cin) * _kh * _kw;

        public string Kind => _depthwise ? "depthwise" : _pointwise ? "1x1" : "dense";

        public override long ScratchFloats(int parts) => _planes is null ? 0 : _planes.ScratchFloats(parts);

        /// <summary>1×1: one phase per run; dense: per image, fill the planes then compute; depthwise: one phase per image.</summary>
        public override int Phases => _pointwise ? 1 : (int)Inputs[0].Shape[0] * (_depthwise ? 1 : 2);

        public override string Describe() =>
            $"conv {Kind} {_cin}→{_cout} {_kh}×{_kw}/{_stride} on {_h}×{_w}{(Epilogue.Kind == FusedActivation.None ? "" : " + " + Epilogue.Kind)}";

        /// <summary>
        /// 1×1: part of the (image, 16-position tile, 6-channel block) units, tile-major so a tile's inputs stay in cache;
        /// dense: phase 2b fills part of image b's channels into the planes, phase 2b + 1 computes part of its
        /// (row, tile, block) units; depthwise: phase b fills and computes part of image b's channels.
        /// </summary>
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        public override void RunPart(FusedMemory memory, int phase, int part, int parts)
        {
            float* x = memory.Of(Inputs[0]), y = memory.Of(Output);
            long inImage = (long)_cin * _h * _w, outImage = (long)_cout * _oh * _ow;
            int blocks = (_cout + FusedKernels.TileRows - 1) / FusedKernels.TileRows;
            float* w = _weights.Data, bias = _bias.Data;
            int* offsets = _offsets.Data;
            if (_pointwise)
            {
                int hw = _h * _w, tiles = (hw + FusedKernels.TileCols - 1) / FusedKernels.TileCols;
                var (start, end) = Share((long)Inputs[0].Shape[0] * tiles * blocks, part, parts);
                for (long u = start; u < end; u++)
                {
                    long b = u / ((long)tiles * blocks);
                    int t = (int)(u / blocks % tiles), m0 = (int)(u % blocks) * FusedKernels.TileRows, n0 = t * FusedKernels.TileCols;
                    FusedKernels.MatrixTile(w + (long)m0 * _cin, x + b * inImage + n0, offsets, _cin, bias + m0, y + b * outImage + (long)m0 * hw + n0, hw,
                        Math.Min(FusedKernels.TileRows, _cout - m0), Math.Min(FusedKernels.TileCols, hw - n0), Epilogue);
                }
                return;
            }
            var planes = _planes!;
            float* scratch = memory.Scratch;
            if (_depthwise)
            {
                long image = phase;
                var (c0, c1) = Share(_cin, part, parts);
                planes.Fill(x + image * inImage, scratch, planes.RowScratchOf(scratch, part), (int)c0, (int)c1);
                Depthwise(y + image * outImage, scratch, (int)c0, (int)c1);
                return;
            }
            long img = phase / 2;
            if (phase % 2 == 0)
            {
                var (c0, c1) = Share(_cin, part, parts);
                planes.Fill(x + img * inImage, scratch, planes.RowScratchOf(scratch, part), (int)c0, (int)c1);
                return;
            }
            int k = _cin * _kh * _kw, xTiles = (_ow + FusedKernels.TileCols - 1) / FusedKernels.TileCols;
            long ohw = (long)_oh * _ow;
            var (first, last) = Share((long)_oh * xTiles * blocks, part, parts);
            for (long u = first; u < last; u++)
            {
                int oy = (int)(u / ((long)xTiles * blocks)), x0 = (int)(u / blocks % xTiles) * FusedKernels.TileCols, m0 = (int)(u % blocks) * FusedKernels.TileRows;
                float* src = scratch + (long)oy * _stride * planes.RowStride + x0;
                FusedKernels.MatrixTile(w + (long)m0 * k, src, offsets, k, bias + m0, y + img * outImage + m0 * ohw + (long)oy * _ow + x0, ohw,
                    Math.Min(FusedKernels.TileRows, _cout - m0), Math.Min(FusedKernels.TileCols, _ow - x0), Epilogue);
            }
        }

        public override void Run(FusedMemory memory)
        {
            for (int phase = 0; phase < Phases; phase++) RunPart(memory, phase, 0, 1);
        }

        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        private void Depthwise(float* y, float* scratch, int c0, int c1)
        {
            var planes = _planes!;
            long ohw = (long)_oh * _ow;
            int tapCount = _kh * _kw;
            int* taps = _offsets.Data;
            long rowStep = (long)_stride * planes.RowStride;
            for (int c = c0; c < c1; c++)
            {
                float* channel = scratch + c * planes.ChannelStride;
                float* w = _weights.Data + c * tapCount;
                float bias = _bias.Data[c];
                float* yc = y + c * ohw;
                for (int r0 = 0; r0 < _oh; r0 += 4)
                {
                    int rows = Math.Min(4, _oh - r0);
                    float* src = channel + (long)r0 * _stride * planes.RowStride;
                    for (int x0 = 0; x0 < _ow; x0 += 16)
                        FusedKernels.DepthwiseTile(src + x0, taps, tapCount, rowStep, w, bias,
                            yc + (long)r0 * _ow + x0, _ow, rows, Math.Min(16, _ow - x0), Epilogue);
                }
            }
        }

        public void Dispose()
        {
            _weights.Dispose();
            _bias.Dispose();
            _offsets?.Dispose();
        }
    }

    /// <summary>Max pooling with a k×k window, stride 1 or 2 and −∞ padding (PyTorch's MaxPool2d; ceil mode through the output size).</summary>
    public sealed class MaxPool : FusedOp
    {
        private readonly PaddedPlanes _planes;
        private readonly int[] _taps;
        private readonly int _kh, _kw, _stride;

        /// <param name="output">[B, C, OH, OW].</param>
        /// <param name="input">[B, C, H, W].</param>
        /// <param name="kh">Window height.</param>
        /// <param name="kw">Window width.</param>
        /// <param name="stride">1 or 2, both axes.</param>
        /// <param name="padH">−∞ rows above and below.</param>
        /// <param name="padW">−∞ columns left and right.</param>
        public MaxPool(FusedValue output, FusedValue input, int kh, int kw, int stride, int padH, int padW) : base(output, input)
        {
            (_kh, _kw, _stride) = (kh, kw, stride);
            _planes = new PaddedPlanes((int)input.Shape[1], (int)input.Shape[2], (int)input.Shape[3], kh, kw, stride, padH, padW,
                (int)output.Shape[2], (int)output.Shape[3], float.NegativeInfinity);
            _taps = _planes.TapOffsets(kh, kw);
        }

        public override long ScratchFloats(int parts) => _planes.ScratchFloats(parts);

        public override int Phases => (int)Output.Shape[0];

        public override string Describe() => $"maxpool {_kh}×{_kw}/{_stride} on {Inputs[0].Shape[2]}×{Inputs[0].Shape[3]}";

        /// <summary>Phase b: part of image b's channels, padded with −∞ and pooled.</summary>
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        public override void RunPart(FusedMemory memory, int phase, int part, int parts)
        {
            float* scratch = memory.Scratch;
            int oh = (int)Output.Shape[2], ow = (int)Output.Shape[3];
            long inImage = Inputs[0].Count / Inputs[0].Shape[0], outImage = Output.Count / Output.Shape[0];
            var (c0, c1) = Share(Output.Shape[1], part, parts);
            _planes.Fill(memory.Of(Inputs[0]) + phase * inImage, scratch, _planes.RowScratchOf(scratch, part), (int)c0, (int)c1);
            long rowStep = (long)_stride * _planes.RowStride;
            fixed (int* taps = _taps)
            {
                for (long ch = c0; ch < c1; ch++)
                {
                    float* channel = scratch + ch * _planes.ChannelStride;
                    float* yc = memory.Of(Output) + phase * outImage + ch * oh * ow;
                    for (int r0 = 0; r0 < oh; r0 += 4)
                    {
                        float* src = channel + (long)r0 * _stride * _planes.RowStride;
                        for (int x0 = 0; x0 < ow; x0 += 16)
                            FusedKernels.MaxPoolTile(src + x0, taps, _taps.Length, rowStep,
                                yc + (long)r0 * ow + x0, ow, Math.Min(4, oh - r0), Math.Min(16, ow - x0));
                    }
                }
            }
        }

        public override void Run(FusedMemory memory)
        {
            for (int phase = 0; phase < Phases; phase++) RunPart(memory, phase, 0, 1);
        }
    }

    /// <summary>An elementwise activation (same shape); the kinds of <see cref="FusedActivation"/> can be fused into the producer.</summary>
    public sealed class Activation : FusedOp
    {
        private readonly Func<float, float>? _scalar;

        /// <summary>One of the kinds the kernels apply on store.</summary>
        public Activation(FusedValue output, FusedValue input, Epilogue epilogue) : base(output, input) =>
            (Epilogue, Name) = (epilogue, epilogue.Kind.ToString());

        /// <summary>Any other elementwise function, applied per float.</summary>
        public Activation(FusedValue output, FusedValue input, string name, Func<float, float> function) : base(output, input) =>
            (_scalar, Name) = (function, name);

        public Epilogue Epilogue { get; }

        public string Name { get; }

        /// <summary>True when the activation can be applied by the operation producing its input.</summary>
        public bool Fusable => _scalar is null;

        public override string Describe() => $"activation {Name}";

        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        public override void Run(FusedMemory memory)
        {
            float* x = memory.Of(Inputs[0]), y = memory.Of(Output);
            long n = Output.Count;
            if (_scalar is null)
            {
                Buffer.MemoryCopy(x, y, n * sizeof(float), n * sizeof(float));
                FusedKernels.Activate(y, n, Epilogue);
                return;
            }
            for (long i = 0; i < n; i++) y[i] = _scalar(x[i]);
        }
    }

    /// <summary>The logistic function 1 / (1 + e^−x), eight floats at a time.</summary>
    public sealed class Sigmoid(FusedValue output, FusedValue input) : FusedOp(output, input)
    {
        public override string Describe() => "sigmoid";

        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        public override void Run(FusedMemory memory)
        {
            float* x = memory.Of(Inputs[0]), y = memory.Of(Output);
            long n = Output.Count, i = 0;
            var one = Vector256.Create(1f);
            for (; i + 8 <= n; i += 8)
                Avx.Store(y + i, Avx.Divide(one, Avx.Add(one, Vector256.Exp(Avx.Subtract(Vector256<float>.Zero, Avx.LoadVector256(x + i))))));
            for (; i < n; i++) y[i] = 1f / (1f + MathF.Exp(-x[i]));
        }
    }

    /// <summary>y = x · scale[c] + shift[c] (a BatchNorm not preceded by a convolution).</summary>
    public sealed class ChannelAffine : FusedOp, IDisposable
    {
        private readonly NativeFloats _scale, _shift;

        public ChannelAffine(FusedValue output, FusedValue input, ReadOnlySpan<float> scale, ReadOnlySpan<float> shift) : base(output, input) =>
            (_scale, _shift) = (new NativeFloats(scale), new NativeFloats(shift));

        public override string Describe() => "channel affine";

        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        public override void Run(FusedMemory memory)
        {
            float* x = memory.Of(Inputs[0]), y = memory.Of(Output);
            long c = Output.Shape[1], plane = Output.Count / Output.Shape[0] / c;
            for (long b = 0; b < Output.Shape[0]; b++)
                for (long ch = 0; ch < c; ch++)
                {
                    long o = (b * c + ch) * plane;
                    float s = _scale.Data[ch], t = _shift.Data[ch];
                    for (long i = 0; i < plane; i++) y[o + i] = x[o + i] * s + t;
                }
        }

        public void Dispose()
        {
            _scale.Dispose();
            _shift.Dispose();
        }
    }

    /// <summary>Add, Sub, Mul, Div, Min or Max with numpy broadcasting (same shapes take the vector path).</summary>
    public sealed class Binary : FusedOp
    {
        private static readonly string[] Names = ["Add", "Sub", "Mul", "Div", "Min", "Max"];

        private readonly int _op;

        public Binary(FusedValue output, FusedValue a, FusedValue b, string op) : base(output, a, b)
        {
            _op = Array.IndexOf(Names, op);
            if (_op < 0) throw new NotSupportedException($"binary op {op}");
        }

        public override string Describe() => $"binary {Names[_op]}";

        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        public override void Run(FusedMemory memory)
        {
            float* a = memory.Of(Inputs[0]), b = memory.Of(Inputs[1]), y = memory.Of(Output);
            long n = Output.Count;
            if (Inputs[0].Count == n && Inputs[1].Count == n)
            {
                long i = 0;
                for (; i + 8 <= n; i += 8)
                {
                    var va = Avx.LoadVector256(a + i);
                    var vb = Avx.LoadVector256(b + i);
                    Avx.Store(y + i, Apply(va, vb));
                }
                for (; i < n; i++) y[i] = Apply(a[i], b[i]);
                return;
            }
            var shape = Output.Shape;
            var sa = BroadcastStrides(Inputs[0].Shape, shape);
            var sb = BroadcastStrides(Inputs[1].Shape, shape);
            var index = new long[shape.Length];
            for (long i = 0; i < n; i++)
            {
                long ia = 0, ib = 0;
                for (int d = 0; d < shape.Length; d++)
                {
                    ia += index[d] * sa[d];
                    ib += index[d] * sb[d];
                }
                y[i] = Apply(a[ia], b[ib]);
                for (int d = shape.Length - 1; d >= 0 && ++index[d] == shape[d]; d--) index[d] = 0;
            }
        }

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        private Vector256<float> Apply(Vector256<float> a, Vector256<float> b) => _op switch
        {
            0 => Avx.Add(a, b),
            1 => Avx.Subtract(a, b),
            2 => Avx.Multiply(a, b),
            3 => Avx.Divide(a, b),
            4 => Avx.Min(a, b),
            _ => Avx.Max(a, b),
        };

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        private float Apply(float a, float b) => _op switch
        {
            0 => a + b,
            1 => a - b,
            2 => a * b,
            3 => a / b,
            4 => MathF.Min(a, b),
            _ => MathF.Max(a, b),
        };

        /// <summary>Strides of <paramref name="shape"/> read as <paramref name="target"/> (0 on broadcast axes).</summary>
        private static long[] BroadcastStrides(long[] shape, long[] target)
        {
            var strides = new long[target.Length];
            long s = 1;
            for (int d = target.Length - 1, e = shape.Length - 1; d >= 0; d--, e--)
            {
                long size = e >= 0 ? shape[e] : 1;
                strides[d] = size == 1 ? 0 : s;
                s *= size;
            }
            return strides;
        }
    }

    /// <summary>Concatenation along an axis: each input's blocks copied into place.</summary>
    public sealed class Concat(FusedValue output, FusedValue[] inputs, int axis) : FusedOp(output, inputs)
    {
        public override string Describe() => $"concat axis {axis} of {Inputs.Length}";

        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        public override void Run(FusedMemory memory)
        {
            float* y = memory.Of(Output);
            long outer = Output.Shape.Take(axis).Aggregate(1L, (a, v) => a * v);
            long outBlock = Output.Count / outer;
            long at = 0;
            foreach (var v in Inputs)
            {
                float* x = memory.Of(v);
                long block = v.Count / outer;
                for (long o = 0; o < outer; o++)
                    Buffer.MemoryCopy(x + o * block, y + o * outBlock + at, block * sizeof(float), block * sizeof(float));
                at += block;
            }
        }
    }

    /// <summary>Elements [start, start + length) along an axis, copied (a slice that is not one contiguous run).</summary>
    public sealed class SliceCopy(FusedValue output, FusedValue input, int axis, long start) : FusedOp(output, input)
    {
        public override string Describe() => $"slice axis {axis}";

        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        public override void Run(FusedMemory memory)
        {
            float* x = memory.Of(Inputs[0]), y = memory.Of(Output);
            long outer = Output.Shape.Take(axis).Aggregate(1L, (a, v) => a * v);
            long inner = Output.Shape.Skip(axis + 1).Aggregate(1L, (a, v) => a * v);
            long inBlock = Inputs[0].Shape[axis] * inner, outBlock = Output.Shape[axis] * inner;
            for (long o = 0; o < outer; o++)
                Buffer.MemoryCopy(x + o * inBlock + start * inner, y + o * outBlock, outBlock * sizeof(float), outBlock * sizeof(float));
        }
    }

    /// <summary>A general axis permutation (output[i…] = input[perm-ordered i…]).</summary>
    public sealed class Transpose(FusedValue output, FusedValue input, int[] perm) : FusedOp(output, input)
    {
        public override string Describe() => $"transpose ({string.Join(", ", perm)})";

        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        public override void Run(FusedMemory memory)
        {
            float* x = memory.Of(Inputs[0]), y = memory.Of(Output);
            var inShape = Inputs[0].Shape;
            var inStrides = new long[inShape.Length];
            for (int d = inShape.Length - 1, s = 1; d >= 0; d--)
            {
                inStrides[d] = s;
                s *= (int)inShape[d];
            }
            var shape = Output.Shape;
            var strides = perm.Select(p => inStrides[p]).ToArray();
            int last = shape.Length - 1;
            long innerStride = strides[last], innerSize = shape[last];
            if (shape.Length == 3 && perm[1] == 2 && perm[2] == 1)
            {
                // [B, C, N] → [B, N, C]: 16 consecutive inputs of a channel at a time, so reads stay sequential.
                long c = inShape[1], n3 = inShape[2];
                for (long b = 0; b < shape[0]; b++)
                {
                    float* xb = x + b * c * n3, yb = y + b * c * n3;
                    for (long i0 = 0; i0 < n3; i0 += 16)
                    {
                        long i1 = Math.Min(i0 + 16, n3);
                        for (long j = 0; j < c; j++)
                        {
                            float* xr = xb + j * n3;
                            for (long i = i0; i < i1; i++) yb[i * c + j] = xr[i];
                        }
                    }
                }
                return;
            }
            var index = new long[shape.Length];
            long n = Output.Count;
            for (long i = 0; i < n; i += innerSize)
            {
                long src = 0;
                for (int d = 0; d < last; d++) src += index[d] * strides[d];
                for (long j = 0; j < innerSize; j++) y[i + j] = x[src + j * innerStride];
                for (int d = last - 1; d >= 0 && ++index[d] == shape[d]; d--) index[d] = 0;
            }
        }
    }

    /// <summary>
    /// ShuffleNet's two-way concatenation and channel shuffle in one copy: a, b [B, C/2, H, W] → [B, C, H, W] with
    /// channel 2i = a's i and 2i + 1 = b's i.
    /// </summary>
    public sealed class ShuffleConcat(FusedValue output, FusedValue a, FusedValue b) : FusedOp(output, a, b)
    {
        public override string Describe() => "concat + channel shuffle";

        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        public override void Run(FusedMemory memory)
        {
            float* a = memory.Of(Inputs[0]), b = memory.Of(Inputs[1]), y = memory.Of(Output);
            long half = Inputs[0].Shape[1], plane = Inputs[0].Shape[2] * Inputs[0].Shape[3];
            long bytes = plane * sizeof(float);
            for (long n = 0; n < Output.Shape[0]; n++)
                for (long i = 0; i < half; i++)
                {
                    long src = (n * half + i) * plane, dst = (n * 2 * half + 2 * i) * plane;
                    Buffer.MemoryCopy(a + src, y + dst, bytes, bytes);
                    Buffer.MemoryCopy(b + src, y + dst + plane, bytes, bytes);
                }
        }
    }

    /// <summary>Integer-factor spatial up-sampling, bilinear (half-pixel or aligned corners, as PyTorch) or nearest.</summary>
    public sealed class Upsample(FusedValue output, FusedValue input, bool bilinear, bool alignCorners) : FusedOp(output, input)
    {
        private readonly (int[] Lo, int[] Hi, float[] Frac) _rows = Taps((int)input.Shape[2], (int)output.Shape[2], bilinear, alignCorners);
        private readonly (int[] Lo, int[] Hi, float[] Frac) _columns = Taps((int)input.Shape[3], (int)output.Shape[3], bilinear, alignCorners);

        public override long ScratchFloats(int parts) => (Inputs[0].Shape[2] + 1) * (Output.Shape[3] + FusedKernels.Slack);

        public override string Describe() => $"upsample {(bilinear ? "bilinear" : "nearest")}";

        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        public override void Run(FusedMemory memory)
        {
            float* x = memory.Of(Inputs[0]), y = memory.Of(Output);
            int h = (int)Inputs[0].Shape[2], w = (int)Inputs[0].Shape[3], oh = (int)Output.Shape[2], ow = (int)Output.Shape[3];
            long planes = Output.Shape[0] * Output.Shape[1];
            var (y0, y1, fy) = _rows;
            var (x0, x1, fx) = _columns;
            // Every input row interpolated along x once, then each output row a blend of two of those rows.
            int rowStride = ow + FusedKernels.Slack;
            float* rows = memory.Scratch;
            for (long p = 0; p < planes; p++)
            {
                float* src = x + p * h * w, dst = y + p * oh * ow;
                for (int r = 0; r < h; r++)
                {
                    float* input = src + (long)r * w, row = rows + (long)r * rowStride;
                    for (int i = 0; i < ow; i++) row[i] = input[x0[i]] * (1f - fx[i]) + input[x1[i]] * fx[i];
                }
                for (int oy = 0; oy < oh; oy++)
                {
                    float* top = rows + (long)y0[oy] * rowStride, bottom = rows + (long)y1[oy] * rowStride, o = dst + (long)oy * ow;
                    float f = fy[oy], g = 1f - f;
                    var (vf, vg) = (Vector256.Create(f), Vector256.Create(g));
                    int i = 0;
                    for (; i + 8 <= ow; i += 8)
                        Avx.Store(o + i, Avx.Add(Avx.Multiply(Avx.LoadVector256(top + i), vg), Avx.Multiply(Avx.LoadVector256(bottom + i), vf)));
                    for (; i < ow; i++) o[i] = top[i] * g + bottom[i] * f;
                }
            }
        }

        /// <summary>For each output index: the two input indices and the weight of the second.</summary>
        private static (int[] Lo, int[] Hi, float[] Frac) Taps(int n, int on, bool bilinear, bool alignCorners)
        {
            var (lo, hi, frac) = (new int[on], new int[on], new float[on]);
            float scale = (float)n / on;
            for (int i = 0; i < on; i++)
            {
                if (!bilinear)
                {
                    lo[i] = hi[i] = Math.Min((int)MathF.Floor(i * scale), n - 1);
                    continue;
                }
                float src = alignCorners
                    ? (on > 1 ? i * (float)(n - 1) / (on - 1) : 0f)
                    : Math.Max((i + 0.5f) * scale - 0.5f, 0f);
                int l = Math.Min((int)src, n - 1);
                lo[i] = l;
                hi[i] = Math.Min(l + 1, n - 1);
                frac[i] = src - l;
            }
            return (lo, hi, frac);
        }
    }

    /// <summary>Softmax over the last axis.</summary>
    public sealed class SoftmaxLastAxis(FusedValue output, FusedValue input) : FusedOp(output, input)
    {
        public override string Describe() => "softmax";

        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        public override void Run(FusedMemory memory)
        {
            float* x = memory.Of(Inputs[0]), y = memory.Of(Output);
            long n = Output.Shape[^1], rows = Output.Count / n;
            for (long r = 0; r < rows; r++)
            {
                float* xr = x + r * n, yr = y + r * n;
                float max = float.NegativeInfinity;
                for (long i = 0; i < n; i++) max = MathF.Max(max, xr[i]);
                float sum = 0;
                for (long i = 0; i < n; i++) sum += yr[i] = MathF.Exp(xr[i] - max);
                for (long i = 0; i < n; i++) yr[i] /= sum;
            }
        }
    }
}
