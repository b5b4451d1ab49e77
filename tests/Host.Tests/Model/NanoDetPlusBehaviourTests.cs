using Microsoft.Extensions.Configuration;
using NanoDet.Abstractions.Geometry;
using NanoDet.Abstractions.Model;
using NanoDet.Abstractions.Plugins;
using NanoDet.Checkpoints;
using NanoDet.Detectors;
using NanoDet.Host.Configuration;
using NanoDet.Host.Model;
using NanoDet.Inference.Detections;
using NanoDet.Inference.Errors;
using NanoDet.Inference.Geometry;
using TorchSharp;
using static TorchSharp.torch;

namespace NanoDet.Host.Tests.Model;

public class NanoDetPlusBehaviourTests
{
    [Theory]
    [InlineData(320, 320, 2125)]
    [InlineData(416, 416, 3598)]
    [InlineData(320, 416, 2765)] // keep_ratio letterbox: 40·52 + 20·26 + 10·13 + 5·7
    public void Four_point_c36_outputs_have_one_row_per_prior_and_132_channels(int h, int w, int priors)
    {
        using var scope = NewDisposeScope();
        using var model = ModelConfig.Detector(ModelConfig.PlusM("1.0x", 36, 4));
        model.eval();
        using var _ = no_grad();
        var output = model.forward(randn(1, 3, h, w));
        Assert.Equal(new long[] { 1, priors, 132 }, output.shape);
        Assert.Equal(priors, model.Layout.PriorCount(h, w));
        Assert.Equal(priors, PriorGrid.Priors(h, w, model.Layout.Strides).shape[0]);
        var scores = output[.., .., ..36];
        Assert.True(scores.min().item<float>() >= 0 && scores.max().item<float>() <= 1);
        // Fresh init: every class logit is ≈ −4.595, so every score ≈ 0.01 (docs/reference.md#building-blocks-and-initialisation).
        Assert.True((scores - 0.01f).abs().max().item<float>() < 0.005f);
    }

    [Fact]
    public void Training_forward_returns_raw_main_and_aux_outputs_of_the_same_layout()
    {
        using var scope = NewDisposeScope();
        using var model = ModelConfig.Detector(ModelConfig.Tiny(classes: 3, points: 4));
        var (preds, aux) = model.ForwardTrain(randn(2, 3, 64, 96));
        Assert.Equal(new long[] { 2, 128, 99 }, preds.shape);
        Assert.NotNull(aux);
        Assert.Equal(preds.shape, aux.shape);
        Assert.True(preds[.., .., ..3].max().item<float>() < -3); // raw logits, not probabilities
    }

    [Fact]
    public void Children_are_registered_in_reference_order_and_aux_fpn_starts_as_a_copy_of_fpn()
    {
        using var scope = NewDisposeScope();
        using var model = (NanoDetPlus)ModelConfig.Detector(ModelConfig.Tiny());
        Assert.Equal(["backbone", "fpn", "head", "aux_fpn", "aux_head"], model.named_children().Select(c => c.name));
        var fpn = ModuleStateDict.Ordered(model.Fpn);
        var aux = ModuleStateDict.Ordered(model.AuxFpn);
        Assert.Equal(fpn.Select(e => e.Key), aux.Select(e => e.Key));
        foreach (var ((key, a), (_, b)) in fpn.Zip(aux)) Assert.True(TensorAssert.Same(a, b), key);
        // ...as a copy, not shared storage.
        using (no_grad()) aux[0].Value.add_(1);
        Assert.False(TensorAssert.Same(fpn[0].Value, aux[0].Value));
    }

    [Fact]
    public void Training_only_keys_are_exactly_the_aux_parts()
    {
        using var scope = NewDisposeScope();
        using var model = ModelConfig.Detector(ModelConfig.PlusM("1.0x", 36, 4));
        var keys = ModuleStateDict.Ordered(model).Select(e => e.Key).ToList();
        Assert.Equal(210 + 32, keys.Count(model.IsTrainingOnly));
        Assert.All(keys.Where(model.IsTrainingOnly), k => Assert.Matches("^aux_(fpn|head)\\.", k));
        Assert.False(model.IsTrainingOnly("head.gfl_cls.0.weight"));
        Assert.False(model.IsTrainingOnly("fpn.reduce_layers.0.conv.weight"));
    }

    private static double GradNorm(nn.Module m) =>
        m.parameters().Where(p => p.grad is not null).Sum(p => p.grad!.abs().sum().item<float>());

    [Theory]
    [InlineData(0, true)]
    [InlineData(9, true)]
    [InlineData(10, false)]
    [InlineData(25, false)]
    public void The_aux_loss_reaches_the_backbone_and_main_neck_only_before_detach_epoch(int epoch, bool reaches)
    {
        using var scope = NewDisposeScope();
        manual_seed(3);
        using var model = (NanoDetPlus)ModelConfig.Detector(ModelConfig.Tiny());
        Assert.Equal(10, model.DetachEpoch);
        model.train();
        model.Epoch = epoch;
        var (_, aux) = model.ForwardTrain(randn(2, 3, 64, 64));
        aux!.square().mean().backward(); // a loss on the aux output only

        Assert.True(GradNorm(model.AuxHead) > 0);
        Assert.True(GradNorm(model.AuxFpn) > 0);
        Assert.Equal(0, GradNorm(model.Head));
        if (reaches)
        {
            Assert.True(GradNorm(model.Backbone) > 0);
            Assert.True(GradNorm(model.Fpn) > 0);
        }
        else
        {
            Assert.Equal(0, GradNorm(model.Backbone));
            Assert.Equal(0, GradNorm(model.Fpn));
        }
    }

    [Fact]
    public void The_main_loss_reaches_the_backbone_after_detach_epoch()
    {
        using var scope = NewDisposeScope();
        using var model = (NanoDetPlus)ModelConfig.Detector(ModelConfig.Tiny());
        model.Epoch = 50;
        var (preds, _) = model.ForwardTrain(randn(2, 3, 64, 64));
        preds.square().mean().backward();
        Assert.True(GradNorm(model.Backbone) > 0);
        Assert.True(GradNorm(model.Fpn) > 0);
        Assert.Equal(0, GradNorm(model.AuxFpn));
    }

    [Fact]
    public void Eval_mode_uses_running_statistics_and_leaves_them_alone()
    {
        using var scope = NewDisposeScope();
        manual_seed(5);
        using var model = ModelConfig.Detector(ModelConfig.Tiny());
        var state = ModuleStateDict.Ordered(model);
        Tensor Stat(string k) => state.First(e => e.Key == k).Value;
        var x = randn(2, 3, 64, 64);

        model.eval();
        var before = Stat("backbone.conv1.1.running_mean").clone();
        Tensor a, b, single;
        using (no_grad())
        {
            a = model.forward(x);
            b = model.forward(x);
            single = model.forward(x[..1]);
        }
        Assert.True(TensorAssert.Same(a, b));
        Assert.True(TensorAssert.Same(before, Stat("backbone.conv1.1.running_mean")));
        Assert.Equal(0, Stat("backbone.conv1.1.num_batches_tracked").item<long>());
        // No batch statistics: an image's output does not depend on the rest of the batch.
        Assert.True(a[..1].allclose(single, rtol: 1e-4, atol: 1e-5));

        model.train();
        using (no_grad()) model.ForwardTrain(x);
        Assert.False(TensorAssert.Same(before, Stat("backbone.conv1.1.running_mean")));
        Assert.Equal(1, Stat("backbone.conv1.1.num_batches_tracked").item<long>());
    }

    [Fact]
    public void Loss_without_a_trainable_head_is_a_clear_error()
    {
        using var scope = NewDisposeScope();
        var resolver = ModelConfig.Resolver;
        var config = ModelConfig.Build(ModelConfig.Tiny());
        var s = config.GetSection("model:arch");
        var backbone = resolver.Create<BackboneModule>(PluginKind.Backbone, s.GetSection("backbone"));
        var fpn = resolver.Create<NeckModule>(PluginKind.Fpn, s.GetSection("fpn"));
        var aux = resolver.Create<HeadModule>(PluginKind.AuxHead, s.GetSection("aux_head"));
        // A SimpleConvHead as the main head: a valid network, but not a head that computes losses.
        var mainValues = ModelConfig.Tiny();
        mainValues["model:arch:aux_head:input_channel"] = "32";
        var notTrainable = resolver.Create<HeadModule>(PluginKind.AuxHead,
            ModelConfig.Build(mainValues).GetSection("model:arch:aux_head"));
        using var model = new NanoDetPlus(backbone, fpn, notTrainable, resolver.Create<NeckModule>(PluginKind.Fpn, s.GetSection("fpn")), aux, 10);
        var (preds, auxPreds) = model.ForwardTrain(randn(1, 3, 64, 64));
        var targets = new DetectionTargets([], 64, 64);
        var e = Assert.Throws<InvalidOperationException>(() => model.Loss(preds, auxPreds, targets));
        Assert.Contains("cannot compute a training loss: it does not implement ITrainableHead", e.Message);
    }

    [Fact]
    public void The_shipped_four_point_config_builds_the_reference_network()
    {
        var bin = TestPaths.BinDir;
        var yml = Path.Combine(bin, "configs", "nanodet-plus-m_416-fourpoint.yml");
        var config = NanoDetConfiguration.Build(new ConfigSources(bin, null, yml, new Dictionary<string, string?>(), []));
        using var model = DetectorBuilder.Build(config, ModelConfig.Resolver);
        Assert.Equal(4_373_244, model.parameters().Sum(p => p.numel()));
        Assert.Equal(new HeadLayout(36, 7, 4, [8, 16, 32, 64]).Channels, model.Layout.Channels);
        Assert.Equal(ReferenceTable.Read("nanodet-plus-m_416-fourpoint-c36.state_dict.tsv").Select(r => r.Key),
            ModuleStateDict.Ordered(model).Select(e => e.Key));
        Assert.Equal(10, ((NanoDetPlus)model).DetachEpoch);
    }

    public static TheoryData<string, string?, string> ConfigErrors => new()
    {
        { "model:arch:fpn:in_channels:2", "460",
            "model:arch:fpn:in_channels: [116, 232, 460] does not match the backbone's output channels [116, 232, 464]" },
        { "model:arch:head:input_channel", "64", "model:arch:head:input_channel: 64 does not match the neck's out_channels (96)" },
        { "model:arch:aux_head:input_channel", "96",
            "model:arch:aux_head:input_channel: 96 does not match twice the neck's out_channels (the aux head sees [main, aux] features) (192)" },
        { "model:arch:aux_head:num_classes", "35",
            "model:arch:aux_head:num_classes: 35 differs from the main head's 36; the aux head must predict the same layout" },
        { "model:arch:aux_head:num_points", "0", "model:arch:aux_head:num_points: 0 differs from the main head's 4" },
        { "model:arch:head:strides:3", null, "model:arch:head:strides: 3 strides [8, 16, 32] but the neck outputs 4 levels" },
        { "model:arch:backbone:activation", "Mish", "model:arch:backbone:activation: unknown activation; available: ReLU, LeakyReLU" },
        { "model:arch:backbone:model_size", "0.75x", "model:arch:backbone:model_size" },
        { "model:arch:head:num_points", "2", "model:arch:head:num_points" },
        { "model:arch:fpn:out_channels", "95", "model:arch:fpn:out_channels: must be even" },
        { "model:arch:head:name", "NoSuchHead", "model:arch:head:name: unknown head 'NoSuchHead'; available: NanoDetPlusHead" },
        { "model:arch:detach_epoch", "-1", "model:arch:detach_epoch" },
    };

    [Theory]
    [MemberData(nameof(ConfigErrors))]
    public void Parts_that_do_not_fit_are_configuration_errors_naming_the_key(string key, string? value, string message)
    {
        var values = ModelConfig.PlusM("1.0x", 36, 4);
        if (value is null) values.Remove(key);
        else values[key] = value;
        var e = Assert.Throws<ConfigurationException>(() => ModelConfig.Detector(values));
        Assert.Contains(message, e.Message);
    }

    [Fact]
    public void A_missing_arch_section_lists_the_arch_plugins()
    {
        var e = Assert.Throws<ConfigurationException>(() =>
            DetectorBuilder.Build(new ConfigurationBuilder().Build(), ModelConfig.Resolver));
        Assert.Equal("model:arch: missing; available arch plugins: NanoDetPlus", e.Message);
    }

    [Fact]
    public void A_model_built_inside_a_dispose_scope_outlives_the_scope()
    {
        // Modules own their parameters and buffers (the aux scales and the integral's project buffer included).
        DetectorModule model;
        using (var scope = NewDisposeScope())
        {
            model = ModelConfig.Detector(ModelConfig.Tiny());
            model.forward(randn(1, 3, 64, 64));
        }
        using (model)
        using (var scope = NewDisposeScope())
        {
            Assert.All(ModuleStateDict.Ordered(model), e => Assert.False(e.Value.IsInvalid, e.Key));
            var (preds, aux) = model.ForwardTrain(randn(1, 3, 64, 64));
            Assert.Equal(preds.shape, aux!.shape);
            Assert.Equal(new[] { 0f, 1, 2, 3, 4, 5, 6, 7 },
                ModuleStateDict.Ordered(model).First(e => e.Key == "head.distribution_project.project").Value.data<float>().ToArray());
        }
    }
}
