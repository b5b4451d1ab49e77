using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using NanoDet.Abstractions.Model;
using NanoDet.Abstractions.Plugins;
using NanoDet.Heads.Assigners;
using NanoDet.Heads.Losses;
using NanoDet.Host.Configuration;
using NanoDet.Host.Plugins;
using NanoDet.Inference.Detections;
using NanoDet.Inference.Errors;
using NanoDet.Inference.Geometry;
using NanoDet.Training;
using static TorchSharp.torch;

namespace NanoDet.Host.Tests.Training;

/// <summary>The training math as a head and the engine get it: from config keys, through the real plugin registry.</summary>
public class LossWiringTests
{
    private static readonly HeadLayout FourPoint36 = new(36, 7, 4, [8, 16, 32, 64]);

    private static IPluginResolver Resolver()
    {
        var services = new ServiceCollection();
        var catalog = PluginCatalog.Register(services, PluginCatalog.LoadAssemblies([], i => $"plugins:paths:{i}"));
        return new PluginResolver(services.BuildServiceProvider(), catalog, NullLoggerFactory.Instance);
    }

    private static IConfiguration Config(params (string Key, string Value)[] values) =>
        new ConfigurationBuilder().AddInMemoryCollection(values.Select(v => new KeyValuePair<string, string?>(v.Key, v.Value))).Build();

    [Fact]
    public void Assigner_is_resolved_by_name_with_defaults_when_assigner_cfg_is_absent()
    {
        var resolver = Resolver();
        Assert.Contains("DynamicSoftLabelAssigner", resolver.NamesOf(PluginKind.Assigner));
        var head = Config().GetSection("model:arch:head");
        var loss = NanoDetPlusLoss.Create(FourPoint36, new NanoDetPlusLossOptions(), head.GetSection("assigner_cfg"), resolver);
        var dsla = Assert.IsType<DynamicSoftLabelAssigner>(loss.Assigner);
        Assert.Equal(13, dsla.Options.TopK);
        Assert.Equal(3.0, dsla.Options.IouFactor);
        Assert.True(dsla.Options.PointsCost);
        Assert.Equal(1.03, dsla.Options.PointsCostAlpha);
        Assert.Equal(100, dsla.Options.PointsCostBeta);
    }

    [Fact]
    public void Assigner_options_bind_from_snake_case_keys_and_bad_values_name_the_key()
    {
        var resolver = Resolver();
        var cfg = Config(("model:arch:head:assigner_cfg:name", "DynamicSoftLabelAssigner"), ("model:arch:head:assigner_cfg:topk", "9"),
            ("model:arch:head:assigner_cfg:points_cost", "false"));
        var loss = NanoDetPlusLoss.Create(FourPoint36, new NanoDetPlusLossOptions(), cfg.GetSection("model:arch:head:assigner_cfg"), resolver);
        var dsla = Assert.IsType<DynamicSoftLabelAssigner>(loss.Assigner);
        Assert.Equal(9, dsla.Options.TopK);
        Assert.False(dsla.Options.PointsCost);

        var bad = Config(("model:arch:head:assigner_cfg:ignore_iof_thr", "0.5"));
        var e = Assert.Throws<ConfigurationException>(() =>
            NanoDetPlusLoss.Create(FourPoint36, new NanoDetPlusLossOptions(), bad.GetSection("model:arch:head:assigner_cfg"), resolver));
        Assert.StartsWith("model:arch:head:assigner_cfg:ignore_iof_thr: ignore regions are not supported", e.Message);

        var unknown = Config(("model:arch:head:assigner_cfg:name", "ATSSAssigner"));
        e = Assert.Throws<ConfigurationException>(() =>
            NanoDetPlusLoss.Create(FourPoint36, new NanoDetPlusLossOptions(), unknown.GetSection("model:arch:head:assigner_cfg"), resolver));
        Assert.StartsWith("model:arch:head:assigner_cfg:name: unknown assigner 'ATSSAssigner'; available: DynamicSoftLabelAssigner", e.Message);
    }

    [Fact]
    public void Seed_config_binds_the_loss_and_schedule_sections_and_warns_about_t_max()
    {
        var bin = TestPaths.BinDir;
        var yml = Path.Combine(bin, "configs", "nanodet-plus-m_416-fourpoint.yml");
        var cfg = NanoDetConfiguration.Build(new ConfigSources(bin, null, yml, new Dictionary<string, string?>(), []));

        var unknown = new List<string>();
        var loss = OptionsBinder.Bind<NanoDetPlusLossOptions>(cfg.GetSection("model:arch:head:loss"), unknown);
        Assert.Empty(unknown);
        Assert.Equal(2.0, loss.LossQfl.Beta);
        Assert.Equal(0.25, loss.LossDfl.LossWeight);
        Assert.Equal(DflNormalizer.BoxSides, loss.LossDfl.Normalizer);
        Assert.Equal(2.0, loss.LossBbox.LossWeight);
        Assert.True(loss.LossPts.IsDistributionFocal);

        var optimizer = OptionsBinder.Bind<OptimizerOptions>(cfg.GetSection("schedule:optimizer"));
        var warmup = OptionsBinder.Bind<WarmupOptions>(cfg.GetSection("schedule:warmup"));
        var cosine = OptionsBinder.Bind<LrScheduleOptions>(cfg.GetSection("schedule:lr_schedule"));
        var ema = OptionsBinder.Bind<WeightAveragerOptions>(cfg.GetSection("model:weight_averager"));
        Assert.Equal((0.001, 0.05, 500, 1e-4, 300, 5e-5, 0.9998),
            (optimizer.Lr, optimizer.WeightDecay, warmup.Steps, warmup.Ratio, cosine.TMax, cosine.EtaMin, ema.Decay));
        var schedule = LearningRateSchedule.From(optimizer, warmup, cosine);
        Assert.NotNull(schedule.PeriodWarning(cfg.GetValue<int>("schedule:total_epochs")));
    }

    [Fact]
    public void Corner_loss_and_normaliser_are_chosen_by_config()
    {
        var cfg = Config(("loss:loss_pts:name", "WingLoss"), ("loss:loss_pts:omega", "2"), ("loss:loss_dfl:normalizer", "AllSides"));
        var o = OptionsBinder.Bind<NanoDetPlusLossOptions>(cfg.GetSection("loss"));
        Assert.Equal(DflNormalizer.AllSides, o.LossDfl.Normalizer);
        var wing = Assert.IsType<WingLoss>(o.LossPts.CreateDistanceLoss());
        Assert.Equal(2.0, wing.Omega);

        var e = Assert.Throws<ConfigurationException>(() =>
            OptionsBinder.Bind<NanoDetPlusLossOptions>(Config(("loss:loss_pts:name", "SmoothL1")).GetSection("loss")));
        Assert.Equal("loss:loss_pts:name: unknown corner loss; available: DistributionFocalLoss, L1Loss, WingLoss (value: 'SmoothL1')", e.Message);
        e = Assert.Throws<ConfigurationException>(() =>
            OptionsBinder.Bind<NanoDetPlusLossOptions>(Config(("loss:loss_qfl:use_sigmoid", "false")).GetSection("loss")));
        Assert.StartsWith("loss:loss_qfl:use_sigmoid: only the sigmoid form", e.Message);
    }

    [Fact]
    public void A_built_loss_runs_on_a_320_batch()
    {
        using var scope = NewDisposeScope();
        var loss = NanoDetPlusLoss.Create(FourPoint36, new NanoDetPlusLossOptions(), Config().GetSection("x"), Resolver());
        var gen = new Generator().manual_seed(1);
        var preds = randn([2, 2125, FourPoint36.Channels], generator: gen);
        var box = tensor(new float[] { 100, 120, 160, 150 }).reshape(1, 4);
        var quad = tensor(new float[] { 102, 122, 101, 148, 158, 149, 159, 121 }).reshape(1, 8);
        var img = new ImageTargets(box, tensor(new long[] { 7 }), quad);
        var r = loss.Compute(preds, preds * 0.5f, new DetectionTargets([img, img], 320, 320));
        Assert.True(r.NumPositives >= 2);
        Assert.True(float.IsFinite(r.Total.item<float>()));
    }
}
