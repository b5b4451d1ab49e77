using NanoDet.Compute.Layers;
using NanoDet.Compute.Runtime;
using TorchSharp;
using static TorchSharp.torch;

namespace NanoDet.Compute.Tests.Kernels;

/// <summary>
/// libtorch's float32 convolutions, forward and backward, in both memory layouts, against float64 (which does not go
/// through oneDNN), at the oneDNN level this process runs with (the probed one, see <see cref="LibtorchEnvironment"/>
/// and docs/kernels.md). The cases are the ones that failed on one of this project's AVX-512 machines with
/// ONEDNN_MAX_CPU_ISA=ALL; run with a level set by hand to check that level on other hardware.
/// </summary>
public class CpuKernelTests
{
    public static TheoryData<int, int, int, int, bool> Cases() => new()
    {
        // in, out, kernel, groups, channels-last
        { 64, 99, 1, 1, true },    // head gfl_cls: C + 96 outputs
        { 64, 106, 1, 1, true },   // default profile head (10 classes)
        { 8, 40, 1, 1, true },
        { 58, 16, 3, 1, false },   // dense 3×3 with 58 inputs
        { 58, 58, 3, 58, true },   // depthwise
        { 128, 64, 3, 1, false },  // aux head first conv (NaN gradients)
        { 128, 64, 3, 1, true },
        { 116, 116, 1, 1, true },  // ShuffleNetV2 1.0x pointwise
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Float32_convolution_matches_float64_forward_and_backward(int inC, int outC, int k, int groups, bool channelsLast)
    {
        using var scope = NewDisposeScope();
        var gen = new Generator(7);
        var x64 = randn([4, inC, 20, 24], float64, generator: gen);
        var w64 = randn([outC, inC / groups, k, k], float64, generator: gen) * (1.0 / Math.Sqrt(inC / groups * k * k));
        var g64 = randn([4, outC, 20, 24], float64, generator: gen);

        var (y32, gx32, gw32) = Run(x64.to(float32), w64.to(float32), g64.to(float32), k, groups, channelsLast);
        var (y64, gx64, gw64) = Run(x64, w64, g64, k, groups, channelsLast: false);

        Assert.True(Close(y32, y64, 1e-4), $"forward error {Error(y32, y64):E2} (oneDNN level {Environment.GetEnvironmentVariable(LibtorchEnvironment.IsaVariable)})");
        Assert.True(Close(gx32, gx64, 1e-4), $"input-gradient error {Error(gx32, gx64):E2}");
        Assert.True(Close(gw32, gw64, 1e-4), $"weight-gradient error {Error(gw32, gw64):E2}");
    }

    private static (Tensor Y, Tensor GradX, Tensor GradW) Run(Tensor x, Tensor w, Tensor upstream, int k, int groups, bool channelsLast)
    {
        x = (channelsLast ? MemoryLayout.ToChannelsLast(x) : x).detach().requires_grad_(true);
        w = w.detach().requires_grad_(true);
        var y = nn.functional.conv2d(x, w, padding: [k / 2, k / 2], groups: groups);
        (y * upstream).sum().backward();
        return (y.detach(), x.grad!, w.grad!);
    }

    /// <summary>Largest difference relative to the largest reference magnitude (float32 accumulation noise is ~1e-6).</summary>
    private static double Error(Tensor a, Tensor reference) =>
        ((a.to(float64) - reference).abs().max() / (reference.abs().max() + 1e-12)).item<double>();

    private static bool Close(Tensor a, Tensor reference, double tolerance) => Error(a, reference) is var e && e < tolerance;
}
