using NanoDet.Abstractions.Plugins;
using NanoDet.Checkpoints;
using NanoDet.Checkpoints.Safetensors;
using NanoDet.Detectors;
using NanoDet.Host.Model;
using NanoDet.Host.Tests.Model;
using NanoDet.Inference.Errors;
using static TorchSharp.torch;

namespace NanoDet.Host.Tests.Model;

public class StateDictLoaderTests
{
    private static List<(string Key, Tensor Value)> Copy(NanoDetPlus m) =>
        ModuleStateDict.Ordered(m).Select(e => (e.Key, e.Value.detach().clone())).ToList();

    [Fact]
    public void Strict_load_copies_every_parameter_and_buffer()
    {
        using var scope = NewDisposeScope();
        using var a = (NanoDetPlus)ModelConfig.Detector(ModelConfig.Tiny());
        using var b = (NanoDetPlus)ModelConfig.Detector(ModelConfig.Tiny());
        using (no_grad())
        {
            // Make the buffers differ too: BN statistics and the int64 counters.
            foreach (var (key, t) in ModuleStateDict.Ordered(a))
                if (key.EndsWith("num_batches_tracked")) t.fill_(17);
                else if (key.EndsWith("running_mean")) t.normal_();
        }
        var path = Path.Combine(TestPaths.NewTempDir("load"), "a.safetensors");
        WeightsFile.Save(a, path, new Dictionary<string, string> { ["note"] = "tiny" });
        var report = WeightsFile.LoadStrict(b, path);
        Assert.True(report.IsExact);
        Assert.Equal(875, report.Loaded.Count);
        foreach (var ((key, x), (_, y)) in ModuleStateDict.Ordered(a).Zip(ModuleStateDict.Ordered(b)))
        {
            Assert.Equal(x.dtype, y.dtype);
            Assert.True(TensorAssert.Same(x, y), key);
        }
        Assert.Equal(17, ModuleStateDict.Ordered(b).First(e => e.Key == "backbone.conv1.1.num_batches_tracked").Value.item<long>());
    }

    [Fact]
    public void Strict_load_fails_listing_missing_extra_and_mis_shaped_keys_and_leaves_the_model_untouched()
    {
        using var scope = NewDisposeScope();
        using var model = (NanoDetPlus)ModelConfig.Detector(ModelConfig.Tiny());
        var before = Copy(model);
        var entries = Copy(model);
        entries.RemoveAll(e => e.Key == "fpn.reduce_layers.0.conv.weight");
        entries.Add(("head.extra.weight", zeros(3)));
        int i = entries.FindIndex(e => e.Key == "head.gfl_cls.0.bias");
        entries[i] = (entries[i].Key, zeros(7));

        var e = Assert.Throws<InputDataException>(() => StateDictLoader.LoadStrict(model, entries, "w.safetensors"));
        Assert.StartsWith("w.safetensors: weights do not match the model (", e.Message);
        Assert.Contains("1 missing: fpn.reduce_layers.0.conv.weight", e.Message);
        Assert.Contains("1 unexpected: head.extra.weight", e.Message);
        Assert.Contains("1 with another shape: head.gfl_cls.0.bias: model [99], file [7]", e.Message);
        foreach (var ((key, x), (_, y)) in before.Zip(ModuleStateDict.Ordered(model)))
            Assert.True(TensorAssert.Same(x, y), key);
    }

    [Fact]
    public void Strict_load_accepts_missing_keys_declared_optional()
    {
        // An inference-only file (no aux weights) loads strictly into the full detector.
        using var scope = NewDisposeScope();
        using var model = (NanoDetPlus)ModelConfig.Detector(ModelConfig.Tiny());
        var path = Path.Combine(TestPaths.NewTempDir("load"), "infer.safetensors");
        WeightsFile.Save(model, path, include: k => !model.IsTrainingOnly(k));
        Assert.Throws<InputDataException>(() => WeightsFile.LoadStrict(model, path));
        var report = WeightsFile.LoadStrict(model, path, optional: model.IsTrainingOnly);
        Assert.All(report.Missing, k => Assert.True(model.IsTrainingOnly(k)));
        Assert.NotEmpty(report.Missing);
    }

    [Fact]
    public void Partial_load_of_a_4_side_checkpoint_into_the_four_point_model_skips_only_the_output_convs()
    {
        using var scope = NewDisposeScope();
        using var plain = (NanoDetPlus)ModelConfig.Detector(ModelConfig.PlusM("1.0x", 80, 0));
        using var fourPoint = (NanoDetPlus)ModelConfig.Detector(ModelConfig.PlusM("1.0x", 36, 4));
        var headInit = fourPoint.Head.named_parameters().First(p => p.name == "gfl_cls.0.weight").parameter.detach().clone();
        var path = Path.Combine(TestPaths.NewTempDir("load"), "coco.safetensors");
        WeightsFile.Save(plain, path);

        var report = WeightsFile.LoadPartial(fourPoint, path);
        Assert.Equal(887 - 12, report.Loaded.Count);
        Assert.Empty(report.Missing);
        Assert.Empty(report.Unexpected);
        Assert.Equal(
            [
                "head.gfl_cls.0.weight: model [132, 96, 1, 1], file [112, 96, 1, 1]",
                "head.gfl_cls.0.bias: model [132], file [112]",
                "head.gfl_cls.1.weight: model [132, 96, 1, 1], file [112, 96, 1, 1]",
                "head.gfl_cls.1.bias: model [132], file [112]",
                "head.gfl_cls.2.weight: model [132, 96, 1, 1], file [112, 96, 1, 1]",
                "head.gfl_cls.2.bias: model [132], file [112]",
                "head.gfl_cls.3.weight: model [132, 96, 1, 1], file [112, 96, 1, 1]",
                "head.gfl_cls.3.bias: model [132], file [112]",
                "aux_head.gfl_cls.weight: model [36, 192, 3, 3], file [80, 192, 3, 3]",
                "aux_head.gfl_cls.bias: model [36], file [80]",
                "aux_head.gfl_reg.weight: model [96, 192, 3, 3], file [32, 192, 3, 3]",
                "aux_head.gfl_reg.bias: model [96], file [32]",
            ],
            report.Mismatched.Select(m => m.ToString()));

        // Backbone and necks now equal the checkpoint; the skipped head conv keeps its initialisation.
        var source = ModuleStateDict.Ordered(plain).ToDictionary(e => e.Key, e => e.Value);
        foreach (var (key, t) in ModuleStateDict.Ordered(fourPoint).Where(e => e.Key.StartsWith("backbone.") || e.Key.Contains("fpn.")))
            Assert.True(TensorAssert.Same(t, source[key]), key);
        var headNow = fourPoint.Head.named_parameters().First(p => p.name == "gfl_cls.0.weight").parameter;
        Assert.True(TensorAssert.Same(headNow, headInit));
        Assert.Contains("12 with another shape", report.Summary());
    }

    [Fact]
    public void A_lightning_style_file_with_ema_weights_loads_the_ema_copy()
    {
        using var scope = NewDisposeScope();
        using var model = (NanoDetPlus)ModelConfig.Detector(ModelConfig.Tiny());
        var raw = Copy(model);
        var ema = raw.Select(e => ("avg_model." + e.Key, e.Key.EndsWith("num_batches_tracked") ? e.Value : e.Value + 1)).ToList();
        var file = raw.Select(e => ("model." + e.Key, e.Value)).Concat(ema).ToList();
        var path = Path.Combine(TestPaths.NewTempDir("load"), "ckpt.safetensors");
        new SafetensorsFile(file.Select(e => SafetensorsTensor.FromTensor(e.Item1, e.Item2)).ToList()).Write(path);

        var report = WeightsFile.LoadStrict(model, path);
        Assert.True(report.IsExact);
        var w = ModuleStateDict.Ordered(model).First(e => e.Key == "head.gfl_cls.0.bias").Value;
        var expected = raw.First(e => e.Key == "head.gfl_cls.0.bias").Value + 1;
        Assert.True(w.allclose(expected));
    }
}
