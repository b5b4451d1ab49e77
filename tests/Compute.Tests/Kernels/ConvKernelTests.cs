using NanoDet.Compute.Kernels;
using static TorchSharp.torch;

namespace NanoDet.Compute.Tests.Kernels;

/// <summary>Every built-in convolution kernel against libtorch's float64 convolution: forward, input, weight and bias gradients.</summary>
public class ConvKernelTests
{
    public static TheoryData<string, int, int, int, int, int, int, bool, bool> Cases()
    {
        var data = new TheoryData<string, int, int, int, int, int, int, bool, bool>();
        // The oneDNN probe's cases (the layer types of the network, awkward channel counts, both layouts) …
        foreach (var kernel in ConvKernelSelector.BuiltInKernels())
        {
            foreach (var c in OneDnnProbeCases.Cases)
                data.Add(kernel.Name, c.In, c.Out, c.Kernel, c.Stride, c.Groups, 1, c.ChannelsLast, false);
            // … and with a bias, dilation, a 5×5 dense kernel and a strided 1×1.
            data.Add(kernel.Name, 64, 106, 1, 1, 1, 1, false, true);
            data.Add(kernel.Name, 58, 58, 3, 1, 58, 2, true, true);
            data.Add(kernel.Name, 32, 24, 5, 1, 1, 1, false, true);
            data.Add(kernel.Name, 48, 29, 3, 1, 1, 2, true, false);
            data.Add(kernel.Name, 24, 16, 1, 2, 1, 1, false, false);
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Kernel_matches_float64_in_training_and_inference(string kernelName, int inC, int outC, int k, int stride, int groups,
        int dilation, bool channelsLast, bool bias)
    {
        var kernel = ConvKernelSelector.BuiltInKernels().Single(x => x.Name == kernelName);
        var geometry = new ConvGeometry(inC, outC, k, k, stride, stride, k / 2 * dilation, k / 2 * dilation, dilation, dilation, groups, bias);
        foreach (var training in new[] { true, false })
        {
            var call = new ConvCall(geometry, 3, 13, 18, channelsLast, training);
            if (!kernel.Supports(call)) continue;
            using var scope = NewDisposeScope();
            var error = ConvCheck.Create(call, 3, seed: 11).Error(kernel);
            Assert.True(error < ConvKernelSelector.Tolerance, $"{kernelName} on {call}: relative error {error:E2}");
        }
    }

    [Fact]
    public void Each_kernel_supports_what_it_claims()
    {
        var dense3 = new ConvCall(new ConvGeometry(64, 32, 3, 3, 1, 1, 1, 1, 1, 1, 1, false), 2, 8, 8, false, true);
        var pointwise = new ConvCall(new ConvGeometry(64, 32, 1, 1, 1, 1, 0, 0, 1, 1, 1, false), 2, 8, 8, false, true);
        var depthwise = new ConvCall(new ConvGeometry(64, 64, 3, 3, 2, 2, 1, 1, 1, 1, 64, false), 2, 8, 8, false, true);
        var grouped = new ConvCall(new ConvGeometry(64, 64, 3, 3, 1, 1, 1, 1, 1, 1, 4, false), 2, 8, 8, false, true);
        string[] Names(ConvCall c) => ConvKernelSelector.BuiltInKernels().Where(k => k.Supports(c)).Select(k => k.Name).ToArray();
        Assert.Equal(["libtorch", "onednn-direct", "unfold-gemm", "shifted-gemm"], Names(dense3));
        Assert.Equal(["libtorch", "onednn-direct", "gemm-1x1", "gemm-1x1-nchw"], Names(pointwise));
        Assert.Equal(["libtorch", "onednn-direct", "depthwise-shift"], Names(depthwise));
        Assert.Equal(["libtorch", "onednn-direct"], Names(grouped));
    }
}
