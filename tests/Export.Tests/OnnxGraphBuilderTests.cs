using Google.Protobuf;
using Microsoft.ML.OnnxRuntime;
using NanoDet.Abstractions.Export;
using NanoDet.Export;
using NanoDet.Inference.Onnx;
using TorchSharp;
using static TorchSharp.torch;

namespace NanoDet.Export.Tests;

/// <summary>The graph builder on hand-checked cases, run by ONNX Runtime.</summary>
public class OnnxGraphBuilderTests
{
    private static float[] Run(ModelProto model, float[] input, long[] shape)
    {
        using var session = new InferenceSession(model.ToByteArray());
        using var value = OrtValue.CreateTensorValueFromMemory(input, shape);
        using var results = session.Run(new RunOptions(), [session.InputNames[0]], [value], [session.OutputNames[0]]);
        return results[0].GetTensorDataAsSpan<float>().ToArray();
    }

    [Fact]
    public void Batch_norm_is_folded_into_the_conv()
    {
        // 1×1 conv, weight 2, no bias; BN mean 1, var 3, γ 2, β 0.5, ε 1e-5:
        // s = 2/√3.00001 = 1.1547; W' = 2s = 2.30940; b' = (0 − 1)s + 0.5 = −0.65470. Input 3 → 3W' + b' = 6.27350.
        var seq = nn.Sequential(nn.Conv2d(1, 1, 1, bias: false), nn.BatchNorm2d(1));
        using (no_grad())
        {
            ((TorchSharp.Modules.Conv2d)seq[0]).weight!.fill_(2);
            var bn = (TorchSharp.Modules.BatchNorm2d)seq[1];
            bn.running_mean!.fill_(1);
            bn.running_var!.fill_(3);
            bn.weight!.fill_(2);
            bn.bias!.fill_(0.5);
        }
        seq.eval();
        var g = new OnnxGraphBuilder();
        var y = g.Module(seq, g.Input("data", [1, 1, 1, 1]));
        g.Output(y, "output");
        var model = g.Build("bn", new Dictionary<string, string>());
        Assert.Equal(["Conv"], model.Graph.Node.Select(n => n.OpType));
        float s = 2 / MathF.Sqrt(3.00001f);
        Assert.Equal(3 * 2 * s + (-s + 0.5f), Run(model, [3f], [1, 1, 1, 1])[0], 5);
        using var torchOut = seq.forward(full(1, 1, 1, 1, 3f));
        Assert.Equal(torchOut.item<float>(), Run(model, [3f], [1, 1, 1, 1])[0], 5);
        Assert.Equal(1, g.ConvMacs);
    }

    [Fact]
    public void Channel_shuffle_interleaves_the_two_halves()
    {
        // [1, 4, 1, 1] = [0, 1, 2, 3] → out[2i] = in[i], out[2i+1] = in[2 + i] → [0, 2, 1, 3].
        var g = new OnnxGraphBuilder();
        var x = g.Input("data", [1, 4, 1, 1]);
        var y = g.Reshape(g.Transpose(g.Reshape(x, 1, 2, 2, 1, 1), 0, 2, 1, 3, 4), 1, 4, 1, 1);
        g.Output(y, "output");
        Assert.Equal(new float[] { 0, 2, 1, 3 }, Run(g.Build("shuffle", new Dictionary<string, string>()), [0, 1, 2, 3], [1, 4, 1, 1]));
    }

    [Fact]
    public void Bilinear_upsample_uses_half_pixel_centres_like_pytorch()
    {
        var g = new OnnxGraphBuilder();
        var y = g.Upsample(g.Input("data", [1, 1, 2, 2]), 2, bilinear: true, alignCorners: false);
        g.Output(y, "output");
        float[] input = [1, 2, 3, 4];
        using var expected = nn.functional.interpolate(tensor(input).reshape(1, 1, 2, 2), scale_factor: [2.0, 2.0],
            mode: InterpolationMode.Bilinear, align_corners: false);
        // First row of PyTorch's result: 1, 1.25, 1.75, 2 (edge-clamped half-pixel sampling).
        Assert.Equal(new float[] { 1, 1.25f, 1.75f, 2 }, expected.data<float>().ToArray()[..4]);
        Assert.Equal(expected.data<float>().ToArray(), Run(g.Build("up", new Dictionary<string, string>()), input, [1, 1, 2, 2]));
    }

    /// <summary>A third-party module exports through the contract, with an op the builder has no helper for.</summary>
    private sealed class Softplus2 : nn.Module<Tensor, Tensor>, IOnnxExportable
    {
        public Softplus2() : base(nameof(Softplus2)) { }

        public override Tensor forward(Tensor x) => nn.functional.softplus(x) * 2;

        public IReadOnlyList<OnnxValue> ExportOnnx(IOnnxGraphBuilder graph, IReadOnlyList<OnnxValue> inputs)
        {
            var sp = graph.Op("Softplus", [inputs[0]], inputs[0].Shape);
            return [graph.Binary("Mul", sp, graph.Constant("two", [2f], [1]))];
        }
    }

    [Fact]
    public void Third_party_modules_export_through_the_contract_and_unknown_ones_are_named()
    {
        var g = new OnnxGraphBuilder();
        var y = g.Module(nn.Sequential(new Softplus2(), nn.ReLU()), g.Input("data", [1, 3]));
        g.Output(y, "output");
        using var expected = new Softplus2().forward(tensor(new float[] { -1, 0, 2 }).reshape(1, 3));
        var actual = Run(g.Build("custom", new Dictionary<string, string>()), [-1, 0, 2], [1, 3]);
        Assert.Equal(expected.data<float>().ToArray().Select(v => Math.Round(v, 5)), actual.Select(v => Math.Round(v, 5)));

        var e = Assert.Throws<NotSupportedException>(() => new OnnxGraphBuilder().Module(nn.Dropout(), new OnnxValue("x", [1, 3])));
        Assert.Contains("Dropout", e.Message);
        Assert.Contains(nameof(IOnnxExportable), e.Message);
    }
}
