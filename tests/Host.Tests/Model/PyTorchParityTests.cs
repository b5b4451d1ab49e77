using System.Text.Json;
using NanoDet.Checkpoints;
using NanoDet.Checkpoints.Safetensors;
using NanoDet.Detectors;
using NanoDet.Host.Model;
using static TorchSharp.torch;

namespace NanoDet.Host.Tests.Model;

/// <summary>
/// Parity with the official PyTorch NanoDet-Plus: Fixtures/parity was written by tools/interop/make_parity_fixture.py
/// from the reference code (four-point widths per docs/reference.md#weight-names-and-checkpoint-loading, every weight and BN statistic randomised, eval mode).
/// Our network loads the reference state_dict strictly by name and must reproduce its raw outputs.
/// </summary>
public class PyTorchParityTests
{
    private static string Fixture(string name) => Path.Combine(TestPaths.BinDir, "Fixtures", "parity", name);

    /// <summary>The parity bound (docs/reference.md#parity-bounds): |a − b| ≤ 1e-4 · (1 + |b|).</summary>
    private static double RelativeError(Tensor ours, Tensor reference) =>
        ((ours - reference).abs() / (reference.abs() + 1)).max().item<float>();

    /// <summary>Every variant in Fixtures/parity (the repository holds "fourpoint"; "plain" can be generated too).</summary>
    public static TheoryData<string> Variants()
    {
        var data = new TheoryData<string>();
        foreach (var f in Directory.GetFiles(Path.Combine(TestPaths.BinDir, "Fixtures", "parity"), "*.weights.safetensors").Order())
            data.Add(Path.GetFileName(f)[..^".weights.safetensors".Length]);
        return data;
    }

    private static (NanoDetPlus Model, Dictionary<string, Tensor> Io) LoadFixture(string variant)
    {
        var weights = Fixture($"{variant}.weights.safetensors");
        var (_, meta) = WeightsFile.Read(weights);
        var config = JsonSerializer.Deserialize<Dictionary<string, string?>>(meta["nanodet_config"])!;
        var model = (NanoDetPlus)ModelConfig.Detector(config);
        var report = WeightsFile.LoadStrict(model, weights);
        Assert.True(report.IsExact, report.Summary());
        model.eval();
        var io = SafetensorsFile.Read(Fixture($"{variant}.io.safetensors")).Tensors.ToDictionary(t => t.Name, t => t.ToTensor());
        Assert.Equal(variant == "plain" ? 0 : 4, model.Layout.NumPoints);
        return (model, io);
    }

    [Theory]
    [MemberData(nameof(Variants))]
    public void Reference_weights_load_by_name_and_reproduce_the_reference_raw_outputs(string variant)
    {
        using var scope = NewDisposeScope();
        var (model, io) = LoadFixture(variant);
        using var _ = no_grad();
        var x = io["input"];
        Assert.Equal(new long[] { 2, 3, 64, 96 }, x.shape);

        var (head, auxOut) = RawOutputs(model, x);

        // 64×96 input: 8×12 + 4×6 + 2×3 + 1×2 = 128 priors; K = 3 + 12·8 = 99 (plain: 3 + 4·8 = 35).
        Assert.Equal(new long[] { 2, 128, model.Layout.NumPoints == 4 ? 99 : 35 }, head.shape);
        Assert.Equal(model.Layout.PriorCount(64, 96), (int)head.shape[1]);
        Assert.True(RelativeError(head, io["head_raw"]) < 1e-4, $"head error {RelativeError(head, io["head_raw"])}");
        Assert.True(RelativeError(auxOut, io["aux_raw"]) < 1e-4, $"aux error {RelativeError(auxOut, io["aux_raw"])}");
        model.Dispose();
    }

    [Theory]
    [MemberData(nameof(Variants))]
    public void Inference_forward_applies_sigmoid_to_the_class_channels_only(string variant)
    {
        using var scope = NewDisposeScope();
        var (model, io) = LoadFixture(variant);
        using var _ = no_grad();
        var output = model.forward(io["input"]);
        var reference = io["head_raw"];
        int c = model.Layout.NumClasses;
        var scoresExpected = reference[.., .., ..c].sigmoid();
        Assert.True((output[.., .., ..c] - scoresExpected).abs().max().item<float>() < 1e-4);
        Assert.True(RelativeError(output[.., .., c..], reference[.., .., c..]) < 1e-4);
        model.Dispose();
    }

    [Theory]
    [MemberData(nameof(Variants))]
    public void Our_weights_file_is_the_reference_file_re_encoded_bit_for_bit(string variant)
    {
        // Reading the reference file and writing the loaded model back gives the same tensors, names and bytes
        // (the order may differ: we write PyTorch's state_dict order, as the reference writer did).
        using var scope = NewDisposeScope();
        var (model, _) = LoadFixture(variant);
        var path = Path.Combine(TestPaths.NewTempDir("parity"), "ours.safetensors");
        WeightsFile.Save(model, path);
        var ours = SafetensorsFile.Read(path).Tensors.ToDictionary(t => t.Name);
        var reference = SafetensorsFile.Read(Fixture($"{variant}.weights.safetensors")).Tensors;
        Assert.Equal(reference.Count, ours.Count);
        foreach (var r in reference)
        {
            var o = ours[r.Name];
            Assert.Equal(r.DType, o.DType);
            Assert.Equal(r.Shape, o.Shape);
            Assert.True(r.Data.AsSpan().SequenceEqual(o.Data), r.Name);
        }
        Assert.Equal(reference.Select(t => t.Name), SafetensorsFile.Read(path).Tensors.Select(t => t.Name));
        model.Dispose();
    }

    /// <summary>
    /// The other direction: a freshly initialised model (BN statistics moved by two training batches) writes its
    /// weights, its config in <c>__metadata__</c> and an eval forward. Set NANODET_PARITY_OUT to keep the files and run
    /// <c>tools/interop/make_parity_fixture.py check</c> on them (docs/network.md records the result).
    /// </summary>
    [Fact]
    public void Our_weights_file_carries_its_config_and_reloads_into_an_identical_network()
    {
        using var scope = NewDisposeScope();
        var weights = Fixture("fourpoint.weights.safetensors");
        var (_, meta) = WeightsFile.Read(weights);
        var config = JsonSerializer.Deserialize<Dictionary<string, string?>>(meta["nanodet_config"])!;
        var io = SafetensorsFile.Read(Fixture("fourpoint.io.safetensors")).Tensors.ToDictionary(t => t.Name, t => t.ToTensor());
        var x = io["input"];

        manual_seed(11);
        using var model = (NanoDetPlus)ModelConfig.Detector(config);
        model.train();
        using (no_grad())
        {
            model.ForwardTrain(randn(2, 3, 64, 96));
            model.ForwardTrain(randn(2, 3, 64, 96));
        }
        model.eval();
        var (head, aux) = RawOutputs(model, x);

        var dir = Environment.GetEnvironmentVariable("NANODET_PARITY_OUT") is { Length: > 0 } keep ? keep : TestPaths.NewTempDir("parity-out");
        Directory.CreateDirectory(dir);
        var ours = Path.Combine(dir, "csharp.weights.safetensors");
        WeightsFile.Save(model, ours, new Dictionary<string, string> { ["nanodet_config"] = meta["nanodet_config"] });
        new SafetensorsFile([SafetensorsTensor.FromTensor("input", x), SafetensorsTensor.FromTensor("head_raw", head),
            SafetensorsTensor.FromTensor("aux_raw", aux)]).Write(Path.Combine(dir, "csharp.io.safetensors"));

        var (_, ourMeta) = WeightsFile.Read(ours);
        using var again = (NanoDetPlus)ModelConfig.Detector(JsonSerializer.Deserialize<Dictionary<string, string?>>(ourMeta["nanodet_config"])!);
        Assert.True(WeightsFile.LoadStrict(again, ours).IsExact);
        again.eval();
        var (head2, aux2) = RawOutputs(again, x);
        Assert.True(TensorAssert.Same(head, head2));
        Assert.True(TensorAssert.Same(aux, aux2));
    }

    private static (Tensor Head, Tensor Aux) RawOutputs(NanoDetPlus model, Tensor x)
    {
        using var _ = no_grad();
        var feats = model.Backbone.forward(x);
        var pan = model.Fpn.forward(feats);
        var aux = model.AuxFpn.forward(feats);
        return (model.Head.forward(pan), model.AuxHead.forward(pan.Zip(aux, (p, a) => cat([p, a], 1)).ToArray()));
    }
}
