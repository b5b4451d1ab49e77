using System.Text.Json;
using NanoDet.Checkpoints.PyTorch;
using NanoDet.Checkpoints.PyTorch.Pickle;
using TorchSharp;
using static TorchSharp.torch;

namespace NanoDet.Checkpoints.Tests.PyTorch;

/// <summary>
/// Every loadable fixture gives exactly the tensors PyTorch saved: same order, names, dtypes, shapes and bytes
/// (compared bit for bit with expected.json, so -0.0, NaN, subnormals and int64 extremes count), and the layout,
/// weight source, epoch and step the script recorded.
/// </summary>
public class CheckpointReaderTests
{
    public static TheoryData<string> Loadable => PyTorchFixtures.LoadableNames();

    [Theory]
    [MemberData(nameof(Loadable))]
    public void Fixture_loads_exactly_as_PyTorch_saved_it(string name)
    {
        var expected = PyTorchFixtures.Loadable(name);
        using var checkpoint = CheckpointReader.Read(PyTorchFixtures.PathOf(name));
        var meta = checkpoint.Metadata;

        Assert.Equal(expected.GetProperty("layout").GetString(), meta.Layout.ToString());
        Assert.Equal(expected.GetProperty("weights").GetString(), meta.Weights.ToString());
        Assert.Equal(OptionalLong(expected, "epoch"), meta.Epoch);
        Assert.Equal(OptionalLong(expected, "global_step"), meta.GlobalStep);
        Assert.Equal(OptionalString(expected, "lightning_version"), meta.LightningVersion);
        Assert.Equal(Strings(expected, "stripped_prefixes"), meta.StrippedPrefixes);
        Assert.Equal(Strings(expected, "skipped_entries"), meta.SkippedEntries);

        var tensors = expected.GetProperty("tensors").EnumerateArray().ToList();
        Assert.Equal(tensors.Select(t => t.GetProperty("name").GetString()), checkpoint.StateDict.Keys);
        Assert.Equal(tensors.Count, meta.TensorCount);
        foreach (var t in tensors)
        {
            var key = t.GetProperty("name").GetString()!;
            var actual = checkpoint.StateDict[key];
            Assert.Equal(t.GetProperty("dtype").GetString(), TorchDtypes.Name(actual.dtype));
            Assert.Equal(t.GetProperty("shape").EnumerateArray().Select(e => e.GetInt64()), actual.shape);
            Assert.True(actual.is_contiguous(), key);
            Assert.False(actual.requires_grad, key);
            Assert.Equal(DeviceType.CPU, actual.device_type);
            Assert.True(t.GetProperty("hex").GetString() == Hex(actual), $"{name}: bytes of '{key}' differ");
        }
    }

    [Fact]
    public void Lightning_checkpoint_prefers_EMA_and_can_be_asked_for_the_raw_weights()
    {
        var path = PyTorchFixtures.PathOf("lightning.ckpt");
        using var ema = CheckpointReader.Read(path);
        using var raw = CheckpointReader.Read(path, new CheckpointReadOptions { PreferEma = false });
        using var bare = CheckpointReader.Read(PyTorchFixtures.PathOf("state_dict_bare.pth"));

        Assert.Equal(CheckpointWeights.Ema, ema.Metadata.Weights);
        Assert.Equal(32, ema.Metadata.EmaEntries);
        Assert.Equal(0, ema.Metadata.RawEntries);
        Assert.Equal(CheckpointWeights.Raw, raw.Metadata.Weights);
        Assert.Equal(0, raw.Metadata.EmaEntries);
        // The raw weights of the Lightning file are the model that state_dict_bare.pth holds.
        Assert.Equal(bare.StateDict.Keys, raw.StateDict.Keys);
        foreach (var (k, v) in bare.StateDict)
        {
            Assert.Equal(Hex(v), Hex(raw.StateDict[k]));
            // The script made every EMA entry differ from the raw one (x * 0.5 + 0.25, counters + 100).
            Assert.NotEqual(Hex(v), Hex(ema.StateDict[k]));
        }
        Assert.Equal(["epoch", "global_step", "pytorch-lightning_version", "state_dict", "loops", "callbacks", "optimizer_states", "lr_schedulers"],
            ema.Metadata.TopLevelKeys);
        Assert.Equal("Lightning checkpoint (PL 1.9.5, epoch 7, step 1234): 32 tensors, EMA weights (avg_model.*, 32 entries), prefix model. stripped",
            ema.Metadata.Describe());
    }

    [Fact]
    public void Partial_EMA_snapshot_reports_mixed_weights_with_counts()
    {
        using var c = CheckpointReader.Read(PyTorchFixtures.PathOf("lightning_mixed.ckpt"));
        // The script dropped avg_model.aux_* (6 aux_fpn + 5 aux_head entries): those stay raw.
        Assert.Equal(CheckpointWeights.Mixed, c.Metadata.Weights);
        Assert.Equal(21, c.Metadata.EmaEntries);
        Assert.Equal(11, c.Metadata.RawEntries);
    }

    [Fact]
    public void Legacy_NanoDet_checkpoint_strips_the_DataParallel_prefix()
    {
        using var c = CheckpointReader.Read(PyTorchFixtures.PathOf("nanodet_legacy.pth"));
        Assert.Equal(["module."], c.Metadata.StrippedPrefixes);
        Assert.All(c.StateDict.Keys, k => Assert.DoesNotContain("module.", k));
        Assert.Equal(3, c.Metadata.Epoch);
        Assert.Equal(99, c.Metadata.GlobalStep);
    }

    [Fact]
    public void Tensors_that_shared_a_storage_come_back_independent()
    {
        using var c = CheckpointReader.Read(PyTorchFixtures.PathOf("shared_storage.pth"));
        var whole = c.StateDict["whole"];
        var head = c.StateDict["head"];
        using (no_grad()) whole.fill_(-1f);
        // head was base[:4] = [0, 0.5, 1, 1.5] in PyTorch; writing to "whole" must not reach it.
        Assert.Equal([0f, 0.5f, 1f, 1.5f], head.data<float>().ToArray());
    }

    [Fact]
    public void Detached_state_dict_survives_the_checkpoint_object()
    {
        OrderedDictionary<string, Tensor> tensors;
        using (var c = CheckpointReader.Read(PyTorchFixtures.PathOf("parameters.pth")))
            tensors = c.DetachStateDict();
        try
        {
            Assert.Equal(3, tensors.Count);
            Assert.Equal(4, tensors["weight"].numel());
        }
        finally
        {
            foreach (var t in tensors.Values) t.Dispose();
        }
    }

    [Fact]
    public void Read_inside_a_dispose_scope_hands_tensors_to_that_scope()
    {
        Tensor kept;
        using (NewDisposeScope())
        {
            var c = CheckpointReader.Read(PyTorchFixtures.PathOf("dtypes.pth"));
            kept = c.StateDict["float32"];
            Assert.Equal(6, kept.numel());
        }
        Assert.True(kept.IsInvalid);
    }

    internal static string Hex(Tensor t) => Convert.ToHexString(t.bytes).ToLowerInvariant();

    private static long? OptionalLong(JsonElement e, string name) =>
        e.GetProperty(name).ValueKind == JsonValueKind.Null ? null : e.GetProperty(name).GetInt64();

    private static string? OptionalString(JsonElement e, string name) =>
        e.GetProperty(name).ValueKind == JsonValueKind.Null ? null : e.GetProperty(name).GetString();

    private static List<string> Strings(JsonElement e, string name) =>
        e.GetProperty(name).EnumerateArray().Select(x => x.GetString()!).ToList();
}
