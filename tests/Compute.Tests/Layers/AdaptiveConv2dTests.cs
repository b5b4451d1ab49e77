using NanoDet.Compute.Layers;
using static TorchSharp.torch;

namespace NanoDet.Compute.Tests.Layers;

/// <summary>The product's convolution module is a drop-in for torch.nn.Conv2d: names, shapes, initialisation, values.</summary>
public class AdaptiveConv2dTests
{
    [Theory]
    [InlineData(16, 24, 3, 1, 1, 1, true)]
    [InlineData(24, 24, 3, 2, 1, 24, false)]
    [InlineData(64, 106, 1, 1, 0, 1, true)]
    public void Parameters_match_torch_Conv2d_in_name_shape_and_initial_values(int inC, int outC, int k, int stride, int pad, int groups, bool bias)
    {
        manual_seed(3);
        using var reference = nn.Conv2d(inC, outC, k, stride: stride, padding: pad, groups: groups, bias: bias);
        manual_seed(3);
        using var conv = new AdaptiveConv2d(inC, outC, k, stride: stride, padding: pad, groups: groups, bias: bias);

        var expected = reference.state_dict();
        var actual = conv.state_dict();
        Assert.Equal(expected.Keys.ToArray(), actual.Keys.ToArray());
        foreach (var key in expected.Keys)
        {
            Assert.Equal(expected[key].shape, actual[key].shape);
            Assert.True(expected[key].allclose(actual[key], rtol: 0, atol: 0), $"{key} differs after the same seed");
        }
    }

    [Fact]
    public void Forward_and_gradients_equal_libtorchs_convolution()
    {
        using var scope = NewDisposeScope();
        manual_seed(5);
        var conv = new AdaptiveConv2d(32, 40, 3, padding: 1);
        var x = randn(2, 32, 10, 12).requires_grad_(true);
        var y = conv.forward(x);
        var expected = nn.functional.conv2d(x, conv.weight, conv.bias, padding: [1, 1]);
        Assert.True(allclose(y, expected, rtol: 1e-4, atol: 1e-5), "forward");

        var g = randn(y.shape);
        var ours = autograd.grad([(y * g).sum()], [x])[0];
        var theirs = autograd.grad([(expected * g).sum()], [x])[0];
        Assert.True(allclose(ours, theirs, rtol: 1e-4, atol: 1e-5), "input gradient");
    }

    [Fact]
    public void Wrong_input_channels_is_a_clear_error()
    {
        using var conv = new AdaptiveConv2d(8, 4, 1);
        var e = Assert.Throws<ArgumentException>(() => conv.forward(zeros(1, 6, 4, 4)));
        Assert.Contains("expects [N, 8, H, W], got [1, 6, 4, 4]", e.Message);
    }
}
