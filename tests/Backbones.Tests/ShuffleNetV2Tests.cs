using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace NanoDet.Backbones.Tests;

public class ShuffleNetV2Tests
{
    private static ShuffleNetV2 Net(string size = "1.0x", bool lastConv = false, int[]? stages = null) =>
        new(size, stages ?? [2, 3, 4], lastConv, "LeakyReLU");

    [Theory]
    [InlineData(320, 320)]
    [InlineData(416, 416)]
    [InlineData(320, 416)]
    public void Outputs_are_the_three_stages_at_strides_8_16_32(int h, int w)
    {
        using var scope = NewDisposeScope();
        using var net = Net();
        var outs = net.forward(randn(2, 3, h, w));
        Assert.Equal(3, outs.Length);
        Assert.Equal(new long[] { 2, 116, h / 8, w / 8 }, outs[0].shape);
        Assert.Equal(new long[] { 2, 232, h / 16, w / 16 }, outs[1].shape);
        Assert.Equal(new long[] { 2, 464, h / 32, w / 32 }, outs[2].shape);
    }

    [Theory]
    [InlineData("0.5x", 48, 96, 192)]
    [InlineData("1.0x", 116, 232, 464)]
    [InlineData("1.5x", 176, 352, 704)]
    [InlineData("2.0x", 244, 488, 976)]
    public void Stage_widths_follow_nanodets_table(string size, int c3, int c4, int c5)
    {
        using var net = Net(size);
        Assert.Equal([c3, c4, c5], net.OutChannels);
    }

    [Theory]
    [InlineData("1.0x", 776_420, 330)]
    [InlineData("1.5x", 1_755_680, 330)]
    public void Parameter_and_entry_counts_equal_the_reference(string size, long parameters, int entries)
    {
        using var net = Net(size);
        Assert.Equal(parameters, net.parameters().Sum(p => p.numel()));
        Assert.Equal(entries, net.state_dict().Count);
    }

    [Fact]
    public void Keys_follow_torchvision_sequential_indices()
    {
        using var net = Net();
        var shapes = net.state_dict().ToDictionary(kv => kv.Key, kv => kv.Value.shape);
        Assert.Equal(new long[] { 24, 3, 3, 3 }, shapes["conv1.0.weight"]);
        Assert.Equal(new long[] { 24, 1, 3, 3 }, shapes["stage2.0.branch1.0.weight"]);
        Assert.Equal(new long[] { 58, 24, 1, 1 }, shapes["stage2.0.branch1.2.weight"]);
        Assert.Equal(new long[] { 58, 24, 1, 1 }, shapes["stage2.0.branch2.0.weight"]);
        Assert.Equal(new long[] { 58, 1, 3, 3 }, shapes["stage2.0.branch2.3.weight"]);
        Assert.Equal(new long[] { 58, 58, 1, 1 }, shapes["stage2.1.branch2.5.weight"]);
        Assert.Equal(new long[] { 464 / 2 }, shapes["stage4.3.branch2.6.running_var"]);
        Assert.Empty(shapes["stage3.7.branch2.1.num_batches_tracked"]);
        Assert.DoesNotContain(shapes.Keys, k => k.StartsWith("stage2.1.branch1", StringComparison.Ordinal));
        Assert.DoesNotContain(shapes.Keys, k => k.Contains("conv5") || k.StartsWith("fc", StringComparison.Ordinal));
    }

    [Fact]
    public void With_last_conv_appends_conv5_to_stage4()
    {
        using var scope = NewDisposeScope();
        using var net = Net(lastConv: true);
        Assert.Equal(new long[] { 1024, 464, 1, 1 }, net.state_dict()["stage4.conv5.0.weight"].shape);
        Assert.Equal([116, 232, 1024], net.OutChannels);
        Assert.Equal(new long[] { 1, 1024, 2, 2 }, net.forward(randn(1, 3, 64, 64))[2].shape);
    }

    [Fact]
    public void Out_stages_selects_outputs()
    {
        using var scope = NewDisposeScope();
        using var net = Net(stages: [3]);
        Assert.Equal([232], net.OutChannels);
        var outs = net.forward(randn(1, 3, 64, 64));
        Assert.Single(outs);
        Assert.Equal(new long[] { 1, 232, 4, 4 }, outs[0].shape);
    }

    [Fact]
    public void Channel_shuffle_interleaves_the_two_halves()
    {
        using var scope = NewDisposeScope();
        // Channels 0..5 as values: halves [0,1,2] and [3,4,5] interleave to [0,3,1,4,2,5].
        var x = arange(6, dtype: float32).reshape(1, 6, 1, 1);
        Assert.Equal(new[] { 0f, 3f, 1f, 4f, 2f, 5f }, ShuffleV2Block.ChannelShuffle(x, 2).data<float>().ToArray());
    }

    [Fact]
    public void A_stride_1_block_passes_the_first_half_through_to_the_even_channels()
    {
        using var scope = NewDisposeScope();
        var block = new ShuffleV2Block(8, 8, 1, "ReLU");
        var x = randn(1, 8, 5, 5);
        var y = block.forward(x);
        Assert.True(y[.., TensorIndex.Slice(0, null, 2)].eq(x[.., ..4]).all().item<bool>());
    }

    [Fact]
    public void Own_init_draws_convs_with_std_1_over_fan_in_channels_and_sets_bn_bias_1e_4()
    {
        using var scope = NewDisposeScope();
        manual_seed(2);
        using var net = Net();
        var sd = net.state_dict();
        // stage3.0.branch2.0 is 1×1 conv 116 → 116: std = 1/116.
        Assert.Equal(1.0 / 116, sd["stage3.0.branch2.0.weight"].std().item<float>(), 0.0005);
        Assert.True(sd["stage2.0.branch2.1.bias"].eq(1e-4f).all().item<bool>());
        Assert.True(sd["conv1.1.weight"].eq(1).all().item<bool>());
        var act = (LeakyReLU)net.named_modules().First(m => m.name == "conv1.2").module;
        Assert.Equal(-0.1f, act.forward(tensor(-1f)).item<float>(), 6);
    }
}
