using System.ComponentModel.DataAnnotations;
using static TorchSharp.torch;

namespace NanoDet.Backbones.Tests;

public class GhostPanTests
{
    private static GhostPanOptions Options(int[] inCh, int outCh, bool depthwise = true, int extra = 1, int blocks = 1) => new()
    {
        InChannels = inCh, OutChannels = outCh, UseDepthwise = depthwise, KernelSize = 5, NumExtraLevel = extra,
        NumBlocks = blocks, Activation = "LeakyReLU",
    };

    private static Tensor[] Inputs(int h, int w, params int[] channels) =>
        channels.Select((c, i) => randn(1, c, h / (8 << i), w / (8 << i))).ToArray();

    [Theory]
    [InlineData(320, 320)]
    [InlineData(416, 416)]
    [InlineData(320, 416)]
    public void Outputs_four_levels_of_96_channels_at_strides_8_to_64(int h, int w)
    {
        using var scope = NewDisposeScope();
        using var pan = new GhostPan(Options([116, 232, 464], 96));
        var outs = pan.forward(Inputs(h, w, 116, 232, 464));
        Assert.Equal(4, pan.NumOutputs);
        Assert.Equal(4, outs.Length);
        int[] strides = [8, 16, 32, 64];
        for (int i = 0; i < 4; i++)
            Assert.Equal(new long[] { 1, 96, (h + strides[i] - 1) / strides[i], (w + strides[i] - 1) / strides[i] }, outs[i].shape);
    }

    [Theory]
    [InlineData(new[] { 116, 232, 464 }, 96, 282_048)]
    [InlineData(new[] { 176, 352, 704 }, 128, 503_552)]
    public void Parameter_counts_equal_the_reference(int[] inCh, int outCh, long expected)
    {
        using var pan = new GhostPan(Options(inCh, outCh));
        Assert.Equal(expected, pan.parameters().Sum(p => p.numel()));
        Assert.Equal(210, pan.state_dict().Count);
    }

    [Fact]
    public void Keys_and_shapes_follow_spec_1_4()
    {
        using var pan = new GhostPan(Options([116, 232, 464], 96));
        var s = pan.state_dict().ToDictionary(kv => kv.Key, kv => kv.Value.shape);
        Assert.Equal(new long[] { 96, 464, 1, 1 }, s["reduce_layers.2.conv.weight"]);
        Assert.Equal(new long[] { 48, 192, 1, 1 }, s["top_down_blocks.0.blocks.0.ghost1.primary_conv.0.weight"]);
        Assert.Equal(new long[] { 48, 1, 3, 3 }, s["top_down_blocks.1.blocks.0.ghost1.cheap_operation.0.weight"]);
        Assert.Equal(new long[] { 48, 96, 1, 1 }, s["bottom_up_blocks.0.blocks.0.ghost2.primary_conv.0.weight"]);
        Assert.Equal(new long[] { 192, 1, 5, 5 }, s["bottom_up_blocks.1.blocks.0.shortcut.0.weight"]);
        Assert.Equal(new long[] { 96, 192, 1, 1 }, s["bottom_up_blocks.1.blocks.0.shortcut.2.weight"]);
        Assert.Equal(new long[] { 96, 1, 5, 5 }, s["downsamples.1.depthwise.weight"]);
        Assert.Equal(new long[] { 96, 96, 1, 1 }, s["extra_lvl_out_conv.0.pointwise.weight"]);
        Assert.Empty(s["extra_lvl_in_conv.0.pwnorm.num_batches_tracked"]);
    }

    [Fact]
    public void Without_depthwise_the_strided_convs_are_conv_modules_and_without_extra_levels_there_are_three_outputs()
    {
        using var scope = NewDisposeScope();
        using var pan = new GhostPan(Options([16, 32, 64], 8, depthwise: false, extra: 0));
        Assert.Equal(new long[] { 8, 8, 5, 5 }, pan.state_dict()["downsamples.0.conv.weight"].shape);
        var outs = pan.forward(Inputs(64, 64, 16, 32, 64));
        Assert.Equal(3, outs.Length);
        Assert.Equal(new long[] { 1, 8, 2, 2 }, outs[2].shape);
    }

    [Fact]
    public void Several_ghost_blocks_chain_on_out_channels()
    {
        // NanoDet builds every block with in = 2·out channels, so num_blocks 2 cannot run there; here it does.
        using var scope = NewDisposeScope();
        using var pan = new GhostPan(Options([16, 32, 64], 8, blocks: 2));
        Assert.Equal(new long[] { 4, 8, 1, 1 }, pan.state_dict()["top_down_blocks.0.blocks.1.ghost1.primary_conv.0.weight"].shape);
        Assert.Equal(new long[] { 1, 8, 1, 1 }, pan.forward(Inputs(64, 64, 16, 32, 64))[3].shape);
    }

    [Fact]
    public void Options_reject_odd_widths_and_second_extra_levels()
    {
        var results = new List<ValidationResult>();
        var odd = Options([16], 7);
        Assert.False(Validator.TryValidateObject(odd, new ValidationContext(odd), results, true));
        Assert.Contains(results, r => r.MemberNames.Contains(nameof(GhostPanOptions.OutChannels)));
        results.Clear();
        var extra = Options([16], 8, extra: 2);
        Assert.False(Validator.TryValidateObject(extra, new ValidationContext(extra), results, true));
        Assert.Contains(results, r => r.MemberNames.Contains(nameof(GhostPanOptions.NumExtraLevel)));
    }
}
