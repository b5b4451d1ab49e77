using NanoDet.Abstractions.Geometry;
using NanoDet.Compute.Layers;
using NanoDet.Inference.Errors;
using NanoDet.Inference.Geometry;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace NanoDet.Heads.Tests;

public class NanoDetPlusHeadTests
{
    internal static NanoDetPlusHeadOptions Options(int classes = 36, int points = 4, int channels = 96) => new()
    {
        NumClasses = classes, InputChannel = channels, FeatChannels = channels, StackedConvs = 2, KernelSize = 5,
        Strides = [8, 16, 32, 64], RegMax = 7, NumPoints = points, Activation = "LeakyReLU",
    };

    /// <summary>Pyramid maps for an input of h×w: strides 8..64, ceil sizes (as GhostPAN produces them).</summary>
    internal static Tensor[] Pyramid(int batch, int channels, int h, int w) =>
        new[] { 8, 16, 32, 64 }.Select(s => randn(batch, channels, (h + s - 1) / s, (w + s - 1) / s)).ToArray();

    [Theory]
    [InlineData(320, 320, 2125)]
    [InlineData(416, 416, 3598)]
    [InlineData(320, 416, 2765)]
    public void Output_is_batch_by_priors_by_class_box_and_corner_channels(int h, int w, int priors)
    {
        using var scope = NewDisposeScope();
        using var head = new NanoDetPlusHead(Options());
        var y = head.forward(Pyramid(2, 96, h, w));
        Assert.Equal(new long[] { 2, priors, 36 + 12 * 8 }, y.shape);
        Assert.Equal(priors, head.Layout.PriorCount(h, w));
        Assert.Equal(priors, PriorGrid.Priors(h, w, head.Layout.Strides).shape[0]);
    }

    [Fact]
    public void Priors_are_level_by_level_and_row_major_inside_a_level()
    {
        using var scope = NewDisposeScope();
        using var head = new NanoDetPlusHead(Options(classes: 2));
        var feats = Pyramid(1, 96, 64, 96);
        var y = head.forward(feats);
        var modules = head.named_modules().ToDictionary(m => m.name, m => m.module);
        long offset = 0;
        for (int l = 0; l < 4; l++)
        {
            var x = feats[l];
            for (int i = 0; i < 2; i++) x = ((nn.Module<Tensor, Tensor>)modules[$"cls_convs.{l}.{i}"]).forward(x);
            var map = ((AdaptiveConv2d)modules[$"gfl_cls.{l}"]).forward(x); // [1, K, H, W]
            long hl = map.shape[2], wl = map.shape[3];
            // Spot-check the last row's last column and a middle cell against the per-level map.
            foreach (var (r, c) in new[] { (0L, 0L), (hl - 1, wl - 1), (hl / 2, wl - 1) })
                Assert.True(y[0, offset + r * wl + c].allclose(map[0, .., r, c], rtol: 1e-5, atol: 1e-6), $"level {l} ({r},{c})");
            offset += hl * wl;
        }
        Assert.Equal(offset, y.shape[1]);
    }

    [Fact]
    public void Init_matches_the_reference_every_gfl_cls_bias_is_minus_4_595()
    {
        using var scope = NewDisposeScope();
        manual_seed(4);
        using var head = new NanoDetPlusHead(Options());
        var sd = head.state_dict();
        for (int l = 0; l < 4; l++)
        {
            Assert.True(sd[$"gfl_cls.{l}.bias"].eq(-4.595f).all().item<bool>());
            Assert.Equal(0.01, sd[$"gfl_cls.{l}.weight"].std().item<float>(), 0.001);
            Assert.Equal(0.01, sd[$"cls_convs.{l}.1.pointwise.weight"].std().item<float>(), 0.001);
        }
        Assert.Equal(new[] { 0f, 1, 2, 3, 4, 5, 6, 7 }, sd["distribution_project.project"].data<float>().ToArray());
        Assert.Equal(ScalarType.Float32, sd["distribution_project.project"].dtype);
    }

    [Theory]
    [InlineData(80, 0, 96, 139_456)]
    [InlineData(36, 4, 96, 147_216)]
    [InlineData(80, 0, 128, 218_560)]
    public void Parameter_counts_equal_the_reference(int classes, int points, int channels, long expected)
    {
        using var head = new NanoDetPlusHead(Options(classes, points, channels));
        Assert.Equal(expected, head.parameters().Sum(p => p.numel()));
        Assert.Equal(105, head.state_dict().Count);
    }

    [Fact]
    public void Plain_head_has_the_official_output_width_and_four_point_adds_64_corner_bins()
    {
        using var plain = new NanoDetPlusHead(Options(80, 0));
        using var four = new NanoDetPlusHead(Options(80, 4));
        Assert.Equal(new long[] { 112, 96, 1, 1 }, plain.state_dict()["gfl_cls.0.weight"].shape);
        Assert.Equal(new long[] { 176, 96, 1, 1 }, four.state_dict()["gfl_cls.3.weight"].shape);
        Assert.Equal(112 + 64, four.Layout.Channels);
    }

    [Fact]
    public void Conv_type_and_group_norm_choices_change_the_stacked_convs()
    {
        using var scope = NewDisposeScope();
        var o = Options();
        o.ConvType = "Conv";
        o.NormCfg = new NormOptions { Type = "GN", NumGroups = 32 };
        using var head = new NanoDetPlusHead(o);
        var sd = head.state_dict();
        Assert.Equal(new long[] { 96, 96, 5, 5 }, sd["cls_convs.0.0.conv.weight"].shape);
        Assert.Contains("cls_convs.0.0.gn.weight", sd.Keys);
        Assert.DoesNotContain(sd.Keys, k => k.EndsWith("running_mean"));
        Assert.Equal(new long[] { 1, 85, 132 }, head.forward(Pyramid(1, 96, 64, 64)).shape);
    }

    [Fact]
    public void Distribution_project_reproduces_the_golden_integral()
    {
        using var scope = NewDisposeScope();
        var project = new DistributionProject(7);
        // docs/reference.md#golden-values: logits [0,1,2,3,2,1,0,−1] give 3.034487 per group.
        var group = new float[] { 0, 1, 2, 3, 2, 1, 0, -1 };
        var d = project.forward(tensor(group.Concat(group).ToArray(), [1, 16]));
        Assert.Equal(new long[] { 1, 2 }, d.shape);
        Assert.All(d.data<float>().ToArray(), v => Assert.Equal(3.034487f, v, 5));
    }
}
