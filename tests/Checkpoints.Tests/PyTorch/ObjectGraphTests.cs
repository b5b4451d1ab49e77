using System.Numerics;
using NanoDet.Checkpoints.PyTorch;
using NanoDet.Checkpoints.PyTorch.Pickle;
using static TorchSharp.torch;

namespace NanoDet.Checkpoints.Tests.PyTorch;

/// <summary>
/// The plain data a Lightning checkpoint carries besides its weights, written by torch.save with pickle protocols 2
/// and 4 (make_fixtures.py, make_plain_data: the literals below are the ones the script saved).
/// </summary>
public class ObjectGraphTests
{
    [Theory]
    [InlineData("plain_data_protocol2.pth")]
    [InlineData("plain_data_protocol4.pth")]
    public void Plain_python_values_round_trip(string name)
    {
        var root = Assert.IsType<PickleDict>(CheckpointReader.ReadObjectGraph(PyTorchFixtures.PathOf(name)));
        Assert.True(root.IsOrderedDict);
        object? Get(string key) => root.TryGetValue(key, out var v) ? v : throw new KeyNotFoundException(key);

        Assert.Equal(7L, Get("int_small"));
        Assert.Equal(-300L, Get("int_negative"));
        Assert.Equal(2147483647L, Get("int_max32"));
        Assert.Equal(BigInteger.Pow(2, 70) + 5, Get("int_big"));
        Assert.Equal(-BigInteger.Pow(2, 64), Get("int_negative_big"));
        Assert.Equal(0.1, Get("float"));
        Assert.Equal(double.PositiveInfinity, Get("float_inf"));
        Assert.Null(Get("none"));
        Assert.Equal(true, Get("true"));
        Assert.Equal(false, Get("false"));
        Assert.Equal("h\u00e9llo \u2713", Get("str"));
        Assert.Equal(new byte[] { 0, 255, (byte)'a', (byte)'b' }, Get("bytes"));
        Assert.Equal(Array.Empty<byte>(), Get("empty_bytes"));

        var tuple = Assert.IsType<PickleTuple>(Get("tuple"));
        Assert.Equal(1L, tuple[0]);
        Assert.Equal("a", tuple[1]);
        var innerTuple = Assert.IsType<PickleTuple>(tuple[2]);
        Assert.Equal(2.5, innerTuple[0]);
        Assert.Null(innerTuple[1]);

        var list = Assert.IsType<List<object?>>(Get("list"));
        Assert.Equal(1L, list[0]);
        Assert.Equal([2L, 3L], Assert.IsType<List<object?>>(list[1]).Cast<long>());
        Assert.Equal(0, Assert.IsType<PickleDict>(list[2]).Count);

        var set = Assert.IsType<PickleSet>(Get("set"));
        Assert.False(set.IsFrozen);
        Assert.Equal(2, set.Count);
        Assert.True(set.Contains(1L) && set.Contains(3L));
        var frozen = Assert.IsType<PickleSet>(Get("frozenset"));
        Assert.True(frozen.IsFrozen);
        Assert.True(frozen.Contains("x"));

        Assert.Equal(new Complex(1.5, -2), Get("complex"));

        var intKeys = Assert.IsType<PickleDict>(Get("int_keys"));
        Assert.True(intKeys.TryGetValue(0L, out var a) && (string)a! == "a");
        Assert.True(intKeys.TryGetValue(true, out var b) && (string)b! == "b"); // Python: True == 1

        Assert.Equal(0.25, Get("np_float64"));
        Assert.Equal(1.5, Get("np_float32"));
        Assert.Equal(-5L, Get("np_int64"));
        Assert.Equal(true, Get("np_bool"));

        Assert.Equal([2L, 3L], Assert.IsType<PickleTuple>(Get("size")).Cast<long>());
        Assert.Equal("cpu", Get("device_cpu"));
        Assert.Equal("cuda:1", Get("device_cuda"));
        Assert.Equal(ScalarType.Float16, Assert.IsType<AllowedGlobal>(Get("dtype")).Dtype);

        var tensor = Assert.IsType<TensorReference>(Get("tensor"));
        Assert.Equal(ScalarType.Int64, tensor.Dtype);
        Assert.Equal([3L], tensor.Shape);
    }

    [Fact]
    public void Lightning_optimizer_and_scheduler_states_are_parsed_as_data()
    {
        var root = Assert.IsType<PickleDict>(CheckpointReader.ReadObjectGraph(PyTorchFixtures.PathOf("lightning.ckpt")));
        Assert.True(root.TryGetValue("optimizer_states", out var optimizers));
        var adamw = Assert.IsType<PickleDict>(Assert.Single(Assert.IsType<List<object?>>(optimizers)));
        Assert.True(adamw.TryGetValue("state", out var state));
        Assert.True(Assert.IsType<PickleDict>(state).TryGetValue(0L, out var first));
        var slots = Assert.IsType<PickleDict>(first);
        Assert.True(slots.TryGetValue("exp_avg_sq", out var expAvgSq));
        Assert.Equal([4L, 3L, 3L, 3L], Assert.IsType<TensorReference>(expAvgSq).Shape);

        Assert.True(adamw.TryGetValue("param_groups", out var groups));
        var group = Assert.IsType<PickleDict>(Assert.Single(Assert.IsType<List<object?>>(groups)));
        Assert.True(group.TryGetValue("weight_decay", out var wd));
        Assert.Equal(0.05, wd);
        Assert.True(group.TryGetValue("betas", out var betas));
        Assert.Equal([0.9, 0.999], Assert.IsType<PickleTuple>(betas).Cast<double>());

        Assert.True(root.TryGetValue("lr_schedulers", out var schedulers));
        var cosine = Assert.IsType<PickleDict>(Assert.Single(Assert.IsType<List<object?>>(schedulers)));
        Assert.True(cosine.TryGetValue("T_max", out var tMax));
        Assert.Equal(300L, tMax);
    }

    [Fact]
    public void Lightning_1_4_callback_states_keyed_by_class_are_inert_names()
    {
        var root = Assert.IsType<PickleDict>(CheckpointReader.ReadObjectGraph(PyTorchFixtures.PathOf("lightning_pl14.ckpt")));
        Assert.True(root.TryGetValue("callbacks", out var callbacks));
        var (key, state) = Assert.Single(Assert.IsType<PickleDict>(callbacks).Entries);
        var cls = Assert.IsType<AllowedGlobal>(key);
        Assert.Equal(GlobalKind.CallbackClass, cls.Kind);
        Assert.Equal("pytorch_lightning.callbacks.model_checkpoint.ModelCheckpoint", cls.FullName);
        Assert.True(Assert.IsType<PickleDict>(state).TryGetValue("dirpath", out var dirpath));
        Assert.Equal("/workspace/nanodet/lightning_logs/version_0/checkpoints", dirpath);
    }

    [Fact]
    public void State_dict_metadata_attribute_is_kept_as_data()
    {
        var root = Assert.IsType<PickleDict>(CheckpointReader.ReadObjectGraph(PyTorchFixtures.PathOf("state_dict_bare.pth")));
        var metadata = Assert.IsType<PickleDict>(root.Attributes["_metadata"]);
        Assert.True(metadata.TryGetValue("backbone.conv1.1", out var bn));
        Assert.True(Assert.IsType<PickleDict>(bn).TryGetValue("version", out var version));
        Assert.Equal(2L, version); // BatchNorm's _version
    }

    [Fact]
    public void Self_referencing_containers_are_built_without_recursion()
    {
        var root = Assert.IsType<PickleDict>(CheckpointReader.ReadObjectGraph(PyTorchFixtures.PathOf("self_reference.pth")));
        Assert.True(root.TryGetValue("loop", out var loop));
        var list = Assert.IsType<List<object?>>(loop);
        Assert.Same(list, list[0]);
        Assert.True(root.TryGetValue("cycle", out var cycle));
        var dict = Assert.IsType<PickleDict>(cycle);
        Assert.True(dict.TryGetValue("self", out var self));
        Assert.Same(dict, self);
    }
}
