using NanoDet.Compute.Layers;
using static TorchSharp.torch;

namespace NanoDet.Heads.Tests;

public class SimpleConvHeadTests
{
    private static SimpleConvHeadOptions Options(int classes = 36, int points = 4, int channels = 192, int stacked = 4) => new()
    {
        NumClasses = classes, InputChannel = channels, FeatChannels = channels, StackedConvs = stacked,
        Strides = [8, 16, 32, 64], RegMax = 7, NumPoints = points, Activation = "LeakyReLU",
        NormCfg = new NormOptions { Type = "GN", NumGroups = 32 },
    };

    [Theory]
    [InlineData(80, 0, 192, 2_850_932)]
    [InlineData(36, 4, 192, 2_885_512)]
    [InlineData(80, 0, 256, 4_980_852)]
    public void Parameter_counts_equal_the_reference(int classes, int points, int channels, long expected)
    {
        using var head = new SimpleConvHead(Options(classes, points, channels));
        Assert.Equal(expected, head.parameters().Sum(p => p.numel()));
        Assert.Equal(32, head.state_dict().Count);
    }

    [Fact]
    public void Keys_are_shared_towers_output_convs_and_one_scale_per_level()
    {
        using var head = new SimpleConvHead(Options());
        var s = head.state_dict().ToDictionary(kv => kv.Key, kv => kv.Value.shape);
        Assert.Equal(new long[] { 192, 192, 3, 3 }, s["cls_convs.3.conv.weight"]);
        Assert.Equal(new long[] { 192 }, s["reg_convs.0.gn.bias"]);
        Assert.DoesNotContain("reg_convs.0.conv.bias", s.Keys);
        Assert.Equal(new long[] { 36, 192, 3, 3 }, s["gfl_cls.weight"]);
        Assert.Equal(new long[] { 96, 192, 3, 3 }, s["gfl_reg.weight"]);
        Assert.Empty(s["scales.3.scale"]);
    }

    [Fact]
    public void Output_layout_equals_the_main_heads_and_init_matches_the_reference()
    {
        using var scope = NewDisposeScope();
        manual_seed(6);
        using var head = new SimpleConvHead(Options(channels: 64, stacked: 2));
        var y = head.forward(NanoDetPlusHeadTests.Pyramid(2, 64, 64, 96));
        Assert.Equal(new long[] { 2, 128, 36 + 96 }, y.shape);
        var sd = head.state_dict();
        Assert.True(sd["gfl_cls.bias"].eq(-4.595f).all().item<bool>());
        Assert.True(sd["gfl_reg.bias"].eq(0).all().item<bool>());
        Assert.Equal(0.01, sd["cls_convs.1.conv.weight"].std().item<float>(), 0.001);
        Assert.True(sd["scales.0.scale"].eq(1).item<bool>());
    }

    [Fact]
    public void A_levels_scale_multiplies_only_its_regression_channels()
    {
        using var scope = NewDisposeScope();
        using var head = new SimpleConvHead(Options(classes: 3, channels: 32, stacked: 1));
        var feats = NanoDetPlusHeadTests.Pyramid(1, 32, 64, 64); // levels of 64, 16, 4, 1 priors
        var before = head.forward(feats);
        using (no_grad()) head.state_dict()["scales.1.scale"].fill_(2);
        var after = head.forward(feats);
        var level1 = TensorIndex.Slice(64, 80);
        Assert.True(after[.., level1, ..3].allclose(before[.., level1, ..3]));
        Assert.True(after[.., level1, 3..].allclose(before[.., level1, 3..] * 2));
        Assert.True(after[.., ..64].allclose(before[.., ..64]));
    }
}
