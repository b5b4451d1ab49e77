using System.Diagnostics;
using NanoDet.Compute.Layers;
using static TorchSharp.torch;

namespace NanoDet.Compute.Kernels;

/// <summary>
/// A convolution problem for checking kernels: float64 input x [n, in, H, W], weight, bias and upstream gradient
/// [n, out, H', W'] from a private generator, and libtorch's float64 result (libtorch has no oneDNN float64 path, so
/// this is its plain reference loop). <see cref="Error"/> runs a kernel in float32 on the same numbers.
/// </summary>
internal sealed class ConvCheck
{
    private readonly ConvCall _call;
    private readonly Tensor _x, _w, _upstream;
    private readonly Tensor? _b;
    private readonly Tensor[] _reference;

    private ConvCheck(ConvCall call, Tensor x, Tensor w, Tensor? b, Tensor upstream)
    {
        _call = call;
        (_x, _w, _b, _upstream) = (x, w, b, upstream);
        _reference = Run(new LibtorchConvKernel(), x, w, b, upstream, call, channelsLast: false);
    }

    /// <summary>Builds the problem for <paramref name="call"/> with <paramref name="batch"/> images.</summary>
    public static ConvCheck Create(in ConvCall call, long batch, ulong seed)
    {
        var g = call.Geometry;
        using var gen = new Generator(seed);
        long fanIn = g.InChannels / g.Groups * g.KernelH * g.KernelW;
        var x = randn([batch, g.InChannels, call.Height, call.Width], float64, generator: gen);
        var w = randn([g.OutChannels, g.InChannels / g.Groups, g.KernelH, g.KernelW], float64, generator: gen) * (1.0 / Math.Sqrt(fanIn));
        var b = g.HasBias ? randn([g.OutChannels], float64, generator: gen) : null;
        var up = randn([batch, g.OutChannels, g.OutH(call.Height), g.OutW(call.Width)], float64, generator: gen);
        return new ConvCheck(call, x, w, b, up);
    }

    /// <summary>Largest relative error of <paramref name="kernel"/> in float32 over output and gradients.</summary>
    public double Error(IConvKernel kernel)
    {
        using var scope = NewDisposeScope();
        var got = Run(kernel, _x.to(float32), _w.to(float32), _b?.to(float32), _upstream.to(float32), _call, _call.ChannelsLast);
        double worst = 0;
        for (int i = 0; i < got.Length; i++)
        {
            var e = RelativeError(got[i], _reference[i]);
            if (double.IsNaN(e)) return double.PositiveInfinity;
            worst = Math.Max(worst, e);
        }
        return worst;
    }

    /// <summary>max |a − ref| / max |ref| in float64.</summary>
    public static double RelativeError(Tensor a, Tensor reference)
    {
        using var scope = NewDisposeScope();
        return ((a.to(float64) - reference).abs().max() / (reference.abs().max() + 1e-12)).item<double>();
    }

    /// <summary>
    /// Median milliseconds per kernel of <paramref name="runs"/> calls on the call's full shape in float32 (forward,
    /// and backward to input and weight when training), after one warm-up each. The kernels take turns run by run, so
    /// a change in the machine's load during the measurement affects them alike.
    /// </summary>
    public static double[] Time(IReadOnlyList<IConvKernel> kernels, in ConvCall call, int runs)
    {
        var g = call.Geometry;
        using var scope = NewDisposeScope();
        using var gen = new Generator(12345);
        var x = randn([call.Batch, g.InChannels, call.Height, call.Width], float32, generator: gen);
        if (call.ChannelsLast) x = MemoryLayout.ToChannelsLast(x);
        var w = randn([g.OutChannels, g.InChannels / g.Groups, g.KernelH, g.KernelW], float32, generator: gen) * 0.1;
        var b = g.HasBias ? randn([g.OutChannels], float32, generator: gen) : null;
        if (call.Training)
        {
            if (call.InputGrad) x.requires_grad_(true);
            w.requires_grad_(true);
            b?.requires_grad_(true);
        }
        var up = randn([call.Batch, g.OutChannels, g.OutH(call.Height), g.OutW(call.Width)], float32, generator: gen);
        var times = new double[kernels.Count][];
        for (int k = 0; k < kernels.Count; k++) times[k] = new double[runs];
        for (int r = -1; r < runs; r++)
        {
            for (int k = 0; k < kernels.Count; k++)
            {
                var watch = Stopwatch.StartNew();
                using (var inner = NewDisposeScope())
                {
                    var y = kernels[k].Forward(x, w, b, g);
                    if (call.Training) (y * up).sum().backward();
                    else y.sum().item<float>();
                }
                watch.Stop();
                if (r >= 0) times[k][r] = watch.Elapsed.TotalMilliseconds;
            }
        }
        return times.Select(t =>
        {
            Array.Sort(t);
            return t[runs / 2];
        }).ToArray();
    }

    private static Tensor[] Run(IConvKernel kernel, Tensor x, Tensor w, Tensor? b, Tensor upstream, ConvCall call, bool channelsLast)
    {
        var input = (channelsLast ? MemoryLayout.ToChannelsLast(x) : x).detach();
        if (!call.Training)
        {
            using var _ = no_grad();
            return [kernel.Forward(input, w, b, call.Geometry).detach().contiguous()];
        }
        using var grad = enable_grad();
        if (call.InputGrad) input.requires_grad_(true);
        var weight = w.detach().requires_grad_(true);
        var bias = b?.detach().requires_grad_(true);
        var y = kernel.Forward(input, weight, bias, call.Geometry);
        (y * upstream).sum().backward();
        // A kernel whose output does not depend on an input gets no gradient there: all zeros, so it is measured as wrong.
        static Tensor Grad(Tensor t) => (t.grad ?? zeros_like(t)).contiguous();
        var outputs = new List<Tensor> { y.detach().contiguous(), Grad(weight) };
        if (call.InputGrad) outputs.Add(Grad(input));
        if (bias is not null) outputs.Add(Grad(bias));
        return outputs.ToArray();
    }
}
