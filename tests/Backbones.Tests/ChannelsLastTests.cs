using NanoDet.Compute.Layers;
using static TorchSharp.torch;

namespace NanoDet.Backbones.Tests;

/// <summary>
/// Channels-last is a speed choice only: every module must give the same values for an NCHW input and the same input
/// re-laid out NHWC (see <see cref="MemoryLayout"/>).
/// </summary>
public class ChannelsLastTests
{
    private static double MaxDiff(Tensor a, Tensor b) => (a - b).abs().max().item<float>();

    [Fact]
    public void Channel_shuffle_gives_the_same_values_in_both_layouts()
    {
        using var scope = NewDisposeScope();
        var x = randn(2, 8, 3, 5);
        var expected = ShuffleV2Block.ChannelShuffle(x, 2);
        var actual = ShuffleV2Block.ChannelShuffle(MemoryLayout.ToChannelsLast(x), 2);
        Assert.Equal(0, MaxDiff(expected, actual));
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    public void Shuffle_block_gives_the_same_values_in_both_layouts(int stride)
    {
        using var scope = NewDisposeScope();
        using var block = new ShuffleV2Block(stride == 1 ? 16 : 8, 16, stride, "LeakyReLU");
        block.eval();
        using var _ = no_grad();
        var x = randn(2, stride == 1 ? 16 : 8, 8, 6);
        Assert.True(MaxDiff(block.forward(x), block.forward(MemoryLayout.ToChannelsLast(x))) < 1e-5);
    }

    [Fact]
    public void Backbone_gives_the_same_values_in_both_layouts()
    {
        using var scope = NewDisposeScope();
        using var net = new ShuffleNetV2("0.5x", [2, 3, 4], false, "LeakyReLU");
        net.eval();
        using var _ = no_grad();
        var x = randn(1, 3, 64, 96);
        var a = net.forward(x);
        var b = net.forward(MemoryLayout.ToChannelsLast(x));
        for (int i = 0; i < a.Length; i++)
        {
            double diff = MaxDiff(a[i], b[i]);
            Assert.True(diff < 1e-4, $"level {i}: {diff}");
        }
    }

    [Fact]
    public void Flatten_levels_gives_the_same_rows_in_both_layouts()
    {
        using var scope = NewDisposeScope();
        var levels = new[] { randn(2, 5, 4, 6), randn(2, 5, 2, 3) };
        var expected = cat(levels.Select(t => t.flatten(2)).ToArray(), 2).permute(0, 2, 1);
        var actual = MemoryLayout.FlattenLevels(levels.Select(MemoryLayout.ToChannelsLast).ToList());
        Assert.Equal(0, MaxDiff(expected, actual));
        Assert.Equal(0, MaxDiff(expected, MemoryLayout.FlattenLevels(levels)));
    }

    [Fact]
    public void Ghost_pan_gives_the_same_values_in_both_layouts()
    {
        using var scope = NewDisposeScope();
        using var pan = new GhostPan(new GhostPanOptions { InChannels = [16, 32, 64], OutChannels = 16, UseDepthwise = true, KernelSize = 5, NumExtraLevel = 1 });
        pan.eval();
        using var _ = no_grad();
        var feats = new[] { randn(1, 16, 16, 12), randn(1, 32, 8, 6), randn(1, 64, 4, 3) };
        var a = pan.forward(feats);
        var b = pan.forward(feats.Select(MemoryLayout.ToChannelsLast).ToArray());
        for (int i = 0; i < a.Length; i++)
        {
            double diff = MaxDiff(a[i], b[i]);
            Assert.True(diff < 1e-4, $"level {i}: {diff}");
        }
    }
}
