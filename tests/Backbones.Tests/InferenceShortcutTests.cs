using NanoDet.Compute.Layers;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace NanoDet.Backbones.Tests;

/// <summary>
/// Without autograd in eval mode the backbone and neck take inference shortcuts (BatchNorm folded into convolutions,
/// in-place activations, a channels-last stem max-pool, concatenation and channel shuffle in one copy). Their values
/// must be those of the ordinary layers, which run when autograd is on.
/// </summary>
public class InferenceShortcutTests
{
    private static double RelativeError(Tensor a, Tensor b) => ((a - b).abs().max() / b.abs().max()).item<float>();

    /// <summary>Random running statistics and affine parameters in every BatchNorm (fresh ones are near identity).</summary>
    private static void RandomiseNorms(nn.Module module, Generator g)
    {
        using var _ = no_grad();
        foreach (var bn in module.modules().OfType<BatchNorm2d>())
        {
            long c = bn.running_mean!.shape[0];
            bn.running_mean!.copy_(randn(c, generator: g) * 0.1);
            bn.running_var!.copy_(rand(c, generator: g) + 0.5);
            bn.weight!.copy_(rand(c, generator: g) + 0.5);
            bn.bias!.copy_(randn(c, generator: g) * 0.1);
        }
    }

    [Fact]
    public void Concat_shuffled_equals_cat_then_channel_shuffle_in_both_layouts()
    {
        using var scope = NewDisposeScope();
        var a = randn(2, 6, 3, 5);
        var b = randn(2, 6, 3, 5);
        var expected = ShuffleV2Block.ChannelShuffle(cat([a, b], 1), 2);
        Assert.True(ShuffleV2Block.ConcatShuffled(a, b).allclose(expected, rtol: 0, atol: 0));
        var cl = ShuffleV2Block.ConcatShuffled(MemoryLayout.ToChannelsLast(a), MemoryLayout.ToChannelsLast(b));
        Assert.True(cl.allclose(expected, rtol: 0, atol: 0));
        Assert.True(MemoryLayout.IsChannelsLast(cl));
        // A channel half of a channels-last map (what a stride-1 block passes on) stays channels-last.
        var whole = MemoryLayout.ToChannelsLast(cat([a, b], 1));
        var halves = whole.chunk(2, 1);
        Assert.True(ShuffleV2Block.ConcatShuffled(halves[0], halves[1]).allclose(expected, rtol: 0, atol: 0));
    }

    [Theory]
    [InlineData("0.5x")]
    [InlineData("1.0x")]
    public void Shufflenet_inference_path_equals_the_ordinary_layers(string size)
    {
        using var scope = NewDisposeScope();
        var g = new Generator(21);
        using var net = new ShuffleNetV2(size, [2, 3, 4], false, "LeakyReLU");
        RandomiseNorms(net, g);
        net.eval();
        var x = randn([1, 3, 96, 64], generator: g);
        Tensor[] expected;
        using (enable_grad()) expected = net.forward(x);
        Tensor[] actual;
        using (no_grad()) actual = net.forward(x);
        Assert.True(net.modules().OfType<AdaptiveConv2d>().All(c => c.HasFoldedWeights), "not every conv took the folded path");
        for (int i = 0; i < expected.Length; i++)
            Assert.True(RelativeError(actual[i], expected[i].detach()) < 1e-5, $"level {i}: {RelativeError(actual[i], expected[i].detach()):E2}");
    }

    [Fact]
    public void Ghost_pan_inference_path_equals_the_ordinary_layers()
    {
        using var scope = NewDisposeScope();
        var g = new Generator(22);
        using var pan = new GhostPan(new GhostPanOptions { InChannels = [16, 32, 64], OutChannels = 16, UseDepthwise = true, KernelSize = 5, NumExtraLevel = 1 });
        RandomiseNorms(pan, g);
        pan.eval();
        var feats = new[] { randn([1, 16, 16, 12], generator: g), randn([1, 32, 8, 6], generator: g), randn([1, 64, 4, 3], generator: g) };
        Tensor[] expected;
        using (enable_grad()) expected = pan.forward(feats);
        Tensor[] actual;
        using (no_grad()) actual = pan.forward(feats);
        for (int i = 0; i < expected.Length; i++)
            Assert.True(RelativeError(actual[i], expected[i].detach()) < 1e-5, $"level {i}: {RelativeError(actual[i], expected[i].detach()):E2}");
    }
}
