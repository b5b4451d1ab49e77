using NanoDet.Abstractions.Plugins;
using NanoDet.Compute.Layers;
using NanoDet.Inference.Errors;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace NanoDet.Backbones.Tests;

public class LayerTests
{
    private static string[] Keys(nn.Module m) => [.. m.state_dict().Keys.Order(StringComparer.Ordinal)];

    [Fact]
    public void Leaky_relu_uses_nanodets_slope_and_every_listed_name_builds()
    {
        using var scope = NewDisposeScope();
        var leaky = Activation.Create("LeakyReLU")!;
        Assert.Equal(new[] { -0.1f, 2f }, leaky.forward(tensor(new[] { -1f, 2f })).data<float>().ToArray());
        foreach (var name in Activation.Names) Assert.NotNull(Activation.Create(name));
        Assert.Null(Activation.Create(null));
        // Swish is SiLU: x·sigmoid(x); at 1 that is 0.7310586.
        Assert.Equal(0.7310586f, Activation.Create("Swish")!.forward(tensor(1f)).item<float>(), 6);
    }

    [Fact]
    public void Unknown_activation_names_the_key_and_lists_the_names()
    {
        var e = Assert.Throws<ConfigurationException>(() => Activation.Create("Mish", "model:arch:fpn:activation"));
        Assert.Equal("model:arch:fpn:activation: unknown activation 'Mish'; available: ReLU, LeakyReLU, ReLU6, SELU, ELU, GELU, " +
            "PReLU, SiLU, Swish, HardSwish, Hardswish", e.Message);
    }

    [Fact]
    public void Conv_module_children_are_conv_then_bn_or_gn_then_act_and_bias_only_without_norm()
    {
        using var scope = NewDisposeScope();
        Assert.Equal(["bn.bias", "bn.num_batches_tracked", "bn.running_mean", "bn.running_var", "bn.weight", "conv.weight"],
            Keys(new ConvModule(4, 8, 3, padding: 1, norm: NormSpec.BatchNorm, activation: "LeakyReLU")));
        Assert.Equal(["conv.weight", "gn.bias", "gn.weight"],
            Keys(new ConvModule(4, 64, 3, padding: 1, norm: NormSpec.GroupNorm32, activation: "LeakyReLU")));
        Assert.Equal(["act.weight", "conv.bias", "conv.weight"], Keys(new ConvModule(4, 8, 1, norm: null, activation: "PReLU")));
        Assert.Equal(["conv", "bn", "act"], new ConvModule(4, 8, 1, norm: NormSpec.BatchNorm).named_children().Select(c => c.name));
    }

    [Fact]
    public void Depthwise_conv_module_registers_nanodets_names_in_nanodets_order()
    {
        using var scope = NewDisposeScope();
        var m = new DepthwiseConvModule(8, 16, 5, stride: 2, padding: 2, norm: NormSpec.BatchNorm, activation: "LeakyReLU");
        Assert.Equal(["depthwise", "pointwise", "dwnorm", "pwnorm", "act"], m.named_children().Select(c => c.name));
        var p = m.named_parameters().ToDictionary(x => x.name, x => x.parameter.shape);
        Assert.Equal(new long[] { 8, 1, 5, 5 }, p["depthwise.weight"]);
        Assert.Equal(new long[] { 16, 8, 1, 1 }, p["pointwise.weight"]);
        Assert.DoesNotContain("depthwise.bias", p.Keys);
        Assert.Equal(new long[] { 1, 16, 4, 4 }, m.forward(randn(1, 8, 8, 8)).shape);
    }

    [Fact]
    public void Kaiming_fan_out_init_has_the_reference_spread()
    {
        using var scope = NewDisposeScope();
        manual_seed(1);
        // fan_out = 128 · 3 · 3 = 1152, gain √2: std = √(2 / 1152) = 0.041667.
        var conv = new ConvModule(64, 128, 3, padding: 1, norm: NormSpec.BatchNorm).Conv;
        Assert.Equal(0.041667, conv.weight.std().item<float>(), 0.001);
        var bn = (BatchNorm2d)new ConvModule(4, 8, 1, norm: NormSpec.BatchNorm).Norm!;
        Assert.True(bn.weight!.eq(1).all().item<bool>() && bn.bias!.eq(0).all().item<bool>());
    }

    [Fact]
    public void Scale_is_a_0d_parameter_named_scale()
    {
        using var scope = NewDisposeScope();
        var s = new Scale(2.5f);
        Assert.Equal(["scale"], Keys(s));
        Assert.Empty(s.state_dict()["scale"].shape);
        Assert.Equal(5f, s.forward(tensor(2f)).item<float>());
    }

    [Fact]
    public void Group_norm_groups_must_divide_the_channels()
    {
        var e = Assert.Throws<ConfigurationException>(() => new NormSpec("GN", 32).Validate(48, "model:arch:aux_head:norm_cfg"));
        Assert.Equal("model:arch:aux_head:norm_cfg:num_groups: 32 groups do not divide 48 channels", e.Message);
        Assert.Throws<ConfigurationException>(() => new NormSpec("LN").Validate(8, "x"));
    }
}
