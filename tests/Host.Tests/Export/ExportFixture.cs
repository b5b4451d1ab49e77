using NanoDet.Abstractions.Model;
using NanoDet.Compute.Layers;
using NanoDet.Host.Configuration;
using NanoDet.Host.Model;
using NanoDet.Host.Tests.Model;
using NanoDet.Inference.Detections;
using NanoDet.Inference.Errors;
using NanoDet.Inference.Geometry;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace NanoDet.Host.Tests.Export;

/// <summary>Tiny four-point detectors with non-trivial BatchNorm statistics, so folding is exercised.</summary>
internal static class ExportFixture
{
    /// <summary>The tiny test model (0.5x, PAN 32, C = 3, four points), seeded, eval mode, random BN statistics.</summary>
    public static DetectorModule TinyModel(int seed = 0, int classes = 3, string? cornerEncoding = null)
    {
        manual_seed(seed);
        var config = ModelConfig.Tiny(classes);
        if (cornerEncoding is not null) config["model:arch:head:corner_encoding"] = cornerEncoding;
        var model = ModelConfig.Detector(config);
        Randomize(model, seed);
        model.eval();
        return model;
    }

    /// <summary>
    /// Weights that carry the input's structure to the output, so scores differ between priors by far more than
    /// float noise (NanoDet's N(0, 0.01) head init makes every prior score ≈ the bias): every conv normal
    /// (std 1/√fan_in: activations stay O(1)), gfl_cls std 3/√fan_in with bias −1. BN: running mean ~ N(0, 0.1²), running var ~
    /// U(0.5, 1.5), weight ~ U(0.5, 1.5), bias ~ N(0, 0.1²).
    /// </summary>
    public static void Randomize(nn.Module model, int seed)
    {
        var g = new Generator((ulong)seed + 1000);
        using var _ = no_grad();
        foreach (var (name, m) in model.named_modules())
        {
            if (m is BatchNorm2d bn)
            {
                bn.running_mean!.copy_(randn(bn.running_mean.shape, generator: g) * 0.1);
                bn.running_var!.copy_(rand(bn.running_var.shape, generator: g) + 0.5);
                bn.weight!.copy_(rand(bn.weight.shape, generator: g) + 0.5);
                bn.bias!.copy_(randn(bn.bias.shape, generator: g) * 0.1);
            }
            else if (m is AdaptiveConv2d conv)
            {
                double fanIn = conv.weight.shape[1] * conv.weight.shape[2] * conv.weight.shape[3];
                bool output = name.StartsWith("head.gfl_cls", StringComparison.Ordinal);
                conv.weight.copy_(randn(conv.weight.shape, generator: g) * ((output ? 3 : 1) / Math.Sqrt(fanIn)));
                if (conv.bias is not null) conv.bias.fill_(output ? -1.0 : 0.0);
            }
        }
    }

    /// <summary>The models the plan tests run (name, input height, input width): the default profile, nanodet-plus-m 1.0x four-point, the tiny model.</summary>
    public static TheoryData<string, int, int> PlanModels() => new()
    {
        { "default", 256, 320 },
        { "plus-m-1.0x", 320, 320 },
        { "tiny", 192, 320 },
    };

    /// <summary>One of <see cref="PlanModels"/>, in train mode with its own initialisation (the tiny one randomised and in eval mode).</summary>
    public static DetectorModule PlanModel(string which) => which switch
    {
        "default" => DetectorBuilder.Build(NanoDetConfiguration.Build(new ConfigSources(TestPaths.RepoRoot, null, null, new Dictionary<string, string?>(), [])), ModelConfig.Resolver),
        "plus-m-1.0x" => ModelConfig.Detector(ModelConfig.PlusM("1.0x", 36, 4)),
        _ => TinyModel(),
    };

    /// <summary>Largest element-wise |a − b| (the lengths must agree).</summary>
    public static double MaxDiff(float[] a, float[] b)
    {
        Assert.Equal(a.Length, b.Length);
        double worst = 0;
        for (int i = 0; i < a.Length; i++) worst = Math.Max(worst, Math.Abs(a[i] - b[i]));
        return worst;
    }

    /// <summary>Deterministic input [1, 3, H, W] ~ N(0, 1).</summary>
    public static float[] Input(int height, int width, int seed = 7)
    {
        var g = new Generator((ulong)seed);
        using var x = randn([1, 3, height, width], generator: g);
        return x.data<float>().ToArray();
    }
}
