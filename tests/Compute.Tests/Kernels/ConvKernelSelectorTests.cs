using NanoDet.Compute.Kernels;
using static TorchSharp.torch;

namespace NanoDet.Compute.Tests.Kernels;

public class ConvKernelSelectorTests
{
    private static readonly ConvCall Call = new(new ConvGeometry(32, 48, 3, 3, 1, 1, 1, 1, 1, 1, 1, false), 2, 12, 16, false, Training: true);

    /// <summary>A test double: the fastest possible "convolution" (zeros of the right shape), and wrong.</summary>
    private sealed class WrongButFastKernel : IConvKernel
    {
        public string Name => "wrong-but-fast";
        public bool Supports(in ConvCall call) => true;
        public Tensor Forward(Tensor x, Tensor weight, Tensor? bias, in ConvGeometry g) =>
            zeros(x.shape[0], g.OutChannels, g.OutH(x.shape[2]), g.OutW(x.shape[3])) * weight.sum();
    }

    /// <summary>A test double that is exact (libtorch underneath) and counts its calls.</summary>
    private sealed class CountingKernel(string name) : IConvKernel
    {
        public int Calls;
        public string Name => name;
        public bool Supports(in ConvCall call) => true;
        public Tensor Forward(Tensor x, Tensor weight, Tensor? bias, in ConvGeometry g)
        {
            Calls++;
            return new LibtorchConvKernel().Forward(x, weight, bias, g);
        }
    }

    [Fact]
    public void A_wrong_candidate_is_rejected_however_fast()
    {
        var selector = new ConvKernelSelector([new LibtorchConvKernel(), new WrongButFastKernel()], new ConvKernelCache(null));
        var choice = selector.Measure(Call);
        Assert.Equal(LibtorchConvKernel.KernelName, choice.Kernel);
        var wrong = choice.Trials.Single(t => t.Kernel == "wrong-but-fast");
        Assert.False(wrong.Exact);
        Assert.True(wrong.Error > 0.5, $"error {wrong.Error}");
        Assert.True(choice.Trials.Single(t => t.Kernel == LibtorchConvKernel.KernelName).Exact);
    }

    [Fact]
    public void Choices_persist_in_the_cache_file_and_are_reused_without_measuring()
    {
        var path = Path.Combine(Path.GetTempPath(), $"nanodet-conv-cache-{Guid.NewGuid():N}.json");
        try
        {
            var first = new ConvKernelSelector([new LibtorchConvKernel(), new UnfoldGemmKernel()], new ConvKernelCache(path));
            var chosen = first.KernelFor(Call).Name;
            Assert.True(File.Exists(path));

            var counting = new CountingKernel("counting");
            var second = new ConvKernelSelector([new LibtorchConvKernel(), new UnfoldGemmKernel(), counting], new ConvKernelCache(path));
            Assert.Equal(chosen, second.KernelFor(Call).Name);
            Assert.Equal(0, counting.Calls); // nothing was measured
            Assert.Equal(chosen, second.Snapshot()[Call.Key]);
        }
        finally
        {
            File.Delete(path);
        }
    }

    /// <summary>A test double that fails: NaN outputs (infinite error) or an exception (NaN error).</summary>
    private sealed class BrokenKernel(string name, bool throws) : IConvKernel
    {
        public string Name => name;
        public bool Supports(in ConvCall call) => true;
        public Tensor Forward(Tensor x, Tensor weight, Tensor? bias, in ConvGeometry g) => throws
            ? throw new ArgumentException("not supported here")
            : new LibtorchConvKernel().Forward(x, weight, bias, g) * float.NaN;
    }

    [Fact]
    public void Failing_candidates_are_rejected_and_their_trials_are_written_to_the_cache()
    {
        var path = Path.Combine(Path.GetTempPath(), $"nanodet-conv-cache-{Guid.NewGuid():N}.json");
        try
        {
            var selector = new ConvKernelSelector(
                [new LibtorchConvKernel(), new BrokenKernel("nan", throws: false), new BrokenKernel("throws", throws: true)],
                new ConvKernelCache(path));
            Assert.Equal(LibtorchConvKernel.KernelName, selector.KernelFor(Call).Name);
            var stored = new ConvKernelCache(path).Find(Call.Key)!;
            Assert.Equal(double.PositiveInfinity, stored.Trials.Single(t => t.Kernel == "nan").Error);
            Assert.True(double.IsNaN(stored.Trials.Single(t => t.Kernel == "throws").Error));
            Assert.All(stored.Trials.Where(t => t.Kernel != LibtorchConvKernel.KernelName), t => Assert.False(t.Exact));
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void Pinned_choices_win_over_measurement_and_the_libtorch_mode_uses_libtorch_only()
    {
        var counting = new CountingKernel("counting");
        var selector = new ConvKernelSelector([new LibtorchConvKernel(), counting, new UnfoldGemmKernel()], new ConvKernelCache(null));
        selector.Pin(new Dictionary<string, string> { [Call.Key] = "counting", ["other"] = "no-such-kernel" });
        Assert.Equal("counting", selector.KernelFor(Call).Name);
        Assert.Equal(0, counting.Calls);

        using var scope = NewDisposeScope();
        var x = randn(2, 32, 12, 16).requires_grad_(true);
        var w = randn(48, 32, 3, 3).requires_grad_(true);
        selector.Forward(x, w, null, Call.Geometry);
        Assert.Equal(1, counting.Calls);
        selector.Mode = ConvKernelMode.Libtorch;
        selector.Forward(x, w, null, Call.Geometry);
        Assert.Equal(1, counting.Calls);
    }

    [Fact]
    public void Measuring_does_not_touch_the_global_random_stream()
    {
        manual_seed(42);
        var expected = rand(4).data<float>().ToArray();
        manual_seed(42);
        new ConvKernelSelector(ConvKernelSelector.BuiltInKernels(), new ConvKernelCache(null)).Measure(Call);
        Assert.Equal(expected, rand(4).data<float>().ToArray());
    }

    [Fact]
    public void Call_keys_tell_apart_layout_phase_and_input_gradient()
    {
        var keys = new[]
        {
            Call, Call with { ChannelsLast = true }, Call with { Training = false }, Call with { InputGrad = false }, Call with { Batch = 3 },
        }.Select(c => c.Key).ToList();
        Assert.Equal(keys.Count, keys.Distinct().Count());
    }
}
