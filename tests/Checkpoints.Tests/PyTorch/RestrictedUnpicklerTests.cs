using System.Numerics;
using System.Text;
using NanoDet.Abstractions.Plugins;
using NanoDet.Checkpoints.PyTorch.Pickle;
using NanoDet.Inference.Errors;

namespace NanoDet.Checkpoints.Tests.PyTorch;

/// <summary>Hand-assembled pickles for opcodes and failure modes that torch.save output does not exercise.</summary>
public class RestrictedUnpicklerTests
{
    /// <summary>Concatenates byte[] parts and strings (each char one byte, so "\u0080" is 0x80).</summary>
    private static byte[] P(params object[] parts)
    {
        var bytes = new List<byte>();
        foreach (var p in parts)
            bytes.AddRange(p is byte[] b ? b : ((string)p).Select(c => (byte)c));
        return [.. bytes];
    }

    private static object? Load(byte[] pickle) => new RestrictedUnpickler(pickle, "test.pth", storages: null).Load();

    private static string Error(byte[] pickle)
    {
        var e = Assert.Throws<InputDataException>(() => Load(pickle));
        Assert.StartsWith("test.pth: ", e.Message);
        Assert.DoesNotContain('\n', e.Message);
        return e.Message;
    }

    [Fact]
    public void Protocol_zero_text_opcodes_decode_like_Python()
    {
        // [1, True, 12345678901234567890, 0.5, 'aA\n', 'café', -7] written with protocol-0 opcodes.
        var list = Assert.IsType<List<object?>>(Load(P(
            "(lp0\n", "I1\na", "I01\na", "L12345678901234567890L\na", "F0.5\na", @"S'a\x41\n'", "\na",
            @"Vcaf\u00e9", "\na", "I-7\na", ".")));
        Assert.Equal(7, list.Count);
        Assert.Equal(1L, list[0]);
        Assert.Equal(true, list[1]);
        Assert.Equal(BigInteger.Parse("12345678901234567890"), list[2]);
        Assert.Equal(0.5, list[3]);
        Assert.Equal("aA\n", list[4]);
        Assert.Equal("café", list[5]);
        Assert.Equal(-7L, list[6]);
    }

    [Fact]
    public void Memo_dup_pop_and_pop_mark_follow_pickle_semantics()
    {
        // PROTO 2; EMPTY_LIST; BINPUT 0; MARK; BININT1 9; POP_MARK; DUP; POP; BINGET 0; APPEND -> l = [l]
        var list = Assert.IsType<List<object?>>(Load(P("\u0080\u0002]q\u0000(K\u00091", "20", "h\u0000a.")));
        Assert.Same(list, Assert.Single(list));
        // MEMOIZE numbers entries by memo size (x -> 0, y -> 1); LONG_BINGET reads them back.
        var tuple = Assert.IsType<PickleTuple>(Load(P("\u0080\u0004\u008c\u0001x\u0094\u008c\u0001y\u0094j\u0000\u0000\u0000\u0000j\u0001\u0000\u0000\u0000\u0086\u0086.")));
        // Stack x, y, x, y -> TUPLE2 -> TUPLE2 leaves ('y', ('x', 'y')) on top.
        Assert.Equal("y", tuple[0]);
        Assert.Equal(["x", "y"], Assert.IsType<PickleTuple>(tuple[1]).Cast<string>());
    }

    [Fact]
    public void Dict_keys_use_Python_equality()
    {
        // {1: 'a', True: 'b', 1.0: 'c'} is {1: 'c'} in Python.
        var dict = Assert.IsType<PickleDict>(Load(P("\u0080\u0002}(K\u0001X\u0001\u0000\u0000\u0000a\u0088X\u0001\u0000\u0000\u0000bG\u003f\u00f0\u0000\u0000\u0000\u0000\u0000\u0000X\u0001\u0000\u0000\u0000cu.")));
        Assert.Equal(1, dict.Count);
        Assert.True(dict.TryGetValue(1L, out var v));
        Assert.Equal("c", v);
    }

    [Fact]
    public void Long1_decodes_twos_complement()
    {
        Assert.Equal(-1L, Load(P("\u0080\u0002\u008a\u0001\u00ff.")));
        Assert.Equal(255L, Load(P("\u0080\u0002\u008a\u0002\u00ff\u0000.")));
        Assert.Equal(0L, Load(P("\u0080\u0002\u008a\u0000.")));
        Assert.Equal(-BigInteger.Pow(2, 64), Load(P("\u0080\u0002\u008a\u0009\u0000\u0000\u0000\u0000\u0000\u0000\u0000\u0000\u00ff.")));
    }

    [Fact]
    public void Deeply_nested_lists_do_not_overflow_the_stack()
    {
        const int depth = 100_000;
        var pickle = P("\u0080\u0002", new string(']', depth), new string('a', depth - 1), ".");
        var outer = Assert.IsType<List<object?>>(Load(pickle));
        var level = 1;
        for (var l = outer; l.Count == 1; l = (List<object?>)l[0]!) level++;
        Assert.Equal(depth, level);
    }

    [Theory]
    [InlineData("\u0080\u0002]", "ends without a STOP opcode")]
    [InlineData("\u0080\u0006N.", "pickle protocol 6")]
    [InlineData("\u0080\u0002(R.", "stack underflow")]
    [InlineData("\u0080\u0002h\u0003.", "memo entry 3 is read before it is written")]
    [InlineData("\u0080\u0002\u00ff", "unknown pickle opcode 0xff")]
    [InlineData("\u0080\u0002]K\u0001K\u0002s.", "SETITEM to a list")]
    [InlineData("\u0080\u0002}]K\u0001s.", "unhashable")]
    [InlineData("\u0080\u0002X\u00ff\u00ff\u00ff\u00ffabc.", "runs past the end of data.pkl")]
    [InlineData("\u0080\u0002X\u0002\u0000\u0000\u0000\u00c3\u0028.", "not valid UTF-8")]
    [InlineData("\u0080\u0002(X\u0007\u0000\u0000\u0000storagectorch\nFloatStorage\nX\u0001\u0000\u0000\u00000X\u0003\u0000\u0000\u0000cpuK\u0001tQ.", "has no storages")]
    [InlineData("\u0080\u0002P0\n.", "PERSID")]
    [InlineData("\u0080\u0002\u0097.", "out-of-band buffers")]
    public void Malformed_pickles_fail_with_a_message(string pickle, string fragment) =>
        Assert.Contains(fragment, Error(P(pickle)));

    [Theory]
    [InlineData("\u0080\u0002\u0082\u0001.", "EXT opcode")]
    [InlineData("\u0080\u0002(ctorch\nSize\no.", "OBJ opcode")]
    [InlineData("\u0080\u0002ctorch\nfloat32\n)R.", "REDUCE to 'torch.float32'")]
    [InlineData("\u0080\u0002ctorch._utils\n_rebuild_parameter\n)\u0081.", "NEWOBJ to 'torch._utils._rebuild_parameter'")]
    [InlineData("\u0080\u0002]}b.", "BUILD (setting attributes) to a list")]
    [InlineData("\u0080\u0002X\u0001\u0000\u0000\u0000a)R.", "REDUCE to a str")]
    [InlineData("\u0080\u0004\u008c\u0008builtins\u008c\u0007getattr\u0093.", "'builtins.getattr'")]
    [InlineData("\u0080\u0002cnumpy.core.multiarray\n_reconstruct\n.", "numpy arrays are not")]
    [InlineData("\u0080\u0002c__main__\nNet\n.", "torch.save(model.state_dict(), 'weights.pth')")]
    [InlineData("\u0080\u0002cpytorch_lightning.callbacks.model_checkpoint\nModelCheckpoint\n)R.", "REDUCE to 'pytorch_lightning.callbacks.model_checkpoint.ModelCheckpoint', which is allowed only as data")]
    [InlineData("\u0080\u0002cpytorch_lightning.callbacks.model_checkpoint\nModelCheckpoint\n}b.", "BUILD (setting attributes) to 'pytorch_lightning.callbacks.model_checkpoint.ModelCheckpoint'")]
    [InlineData("\u0080\u0002cpytorch_lightning.callbacks.evil\nsystem\n.", "'pytorch_lightning.callbacks.evil.system'")]
    [InlineData("\u0080\u0002cpytorch_lightning.utilities.parsing\nAttributeDict\n.", "'pytorch_lightning.utilities.parsing.AttributeDict'")]
    [InlineData("\u0080\u0002ctorch._tensor\n_rebuild_from_type_v2\n(ctorch._utils\n_rebuild_tensor_v2\ncos\nsystem\n)}tR.", "'os.system'")]
    public void Disallowed_constructs_are_refused_by_name(string pickle, string fragment)
    {
        var message = Error(P(pickle));
        Assert.Contains("refused to load", message);
        Assert.Contains(fragment, message);
    }

    [Fact]
    public void Control_characters_in_names_stay_on_one_line()
    {
        var message = Error(P("\u0080\u0004\u008c\u0005os\nxy\u008c\u0006system\u0093."));
        Assert.Contains("'os?xy.system'", message);
    }

    [Fact]
    public void Tuple_keys_nest_at_most_32_levels()
    {
        // 40 nested 1-tuples used as a dict key.
        var pickle = P("\u0080\u0002}N", new string('\x85', 40), "N", "s.");
        Assert.Contains("deeper than 32", Error(pickle));
        var shallow = P("\u0080\u0002}N", new string('\x85', 5), "Ns.");
        Assert.Equal(1, Assert.IsType<PickleDict>(Load(shallow)).Count);
    }

    /// <summary>Answers every storage id with a storage of the declared size (no archive needed).</summary>
    private sealed class FakeStorages : IStorageResolver
    {
        public StorageReference Resolve(string key, TorchSharp.torch.ScalarType dtype, long numel, string location) =>
            new(key, dtype, numel * TorchDtypes.ElementSize(dtype), location, "archive/data/" + key);
    }

    /// <summary>_rebuild_tensor_v2 of a 1-element float storage with the given 1-D size and stride.</summary>
    private static byte[] OneFloatView(long size, long stride) => P(
        "\u0080\u0002ctorch._utils\n_rebuild_tensor_v2\n(",
        "(X\u0007\u0000\u0000\u0000storagectorch\nFloatStorage\nX\u0001\u0000\u0000\u00000X\u0003\u0000\u0000\u0000cpuK\u0001tQ",
        "K\u0000", "\u008a\u0008", BitConverter.GetBytes(size), "\u0085", "\u008a\u0008", BitConverter.GetBytes(stride), "\u0085",
        "\u0089}tR.");

    [Fact]
    public void Expanded_views_are_capped_so_a_tiny_storage_cannot_demand_terabytes()
    {
        var ok = Assert.IsType<TensorReference>(new RestrictedUnpickler(OneFloatView(1000, 0), "test.pth", new FakeStorages()).Load());
        Assert.Equal([1000L], ok.Shape);
        Assert.Equal([0L], ok.Stride);
        var e = Assert.Throws<InputDataException>(() => new RestrictedUnpickler(OneFloatView(1L << 40, 0), "test.pth", new FakeStorages()).Load());
        Assert.Contains("expands storage 'data/0' of 1 elements to 1099511627776", e.Message);
        e = Assert.Throws<InputDataException>(() => new RestrictedUnpickler(OneFloatView(2, 1), "test.pth", new FakeStorages()).Load());
        Assert.Contains("reaches element 1, outside its storage 'data/0' of 1 elements", e.Message);
    }

    [Fact]
    public void A_wide_tuple_key_reused_many_times_is_checked_and_hashed_once()
    {
        // {t: None} assigned 50,000 times with the same memoised 100,000-wide tuple t. Walking t on every
        // assignment would take 5e9 steps; with the per-tuple caches the whole pickle is linear.
        const int width = 100_000, reuses = 50_000;
        var pickle = P("\u0080\u0002}(", string.Concat(Enumerable.Repeat("K\u0001", width)), "tq\u0000\u0030",
            string.Concat(Enumerable.Repeat("h\u0000Ns", reuses)), ".");
        var sw = System.Diagnostics.Stopwatch.StartNew();
        var dict = Assert.IsType<PickleDict>(Load(pickle));
        Assert.Equal(1, dict.Count);
        Assert.True(sw.Elapsed < TimeSpan.FromSeconds(10), $"took {sw.Elapsed}");
    }

    [Fact]
    public void Allow_list_holds_only_data_constructors()
    {
        var names = PickleAllowList.Names.ToList();
        Assert.Contains("collections.OrderedDict", names);
        Assert.Contains("torch._utils._rebuild_tensor_v2", names);
        Assert.Contains("torch.BFloat16Storage", names);
        // Nothing that reaches code, attributes or modules.
        foreach (var forbidden in new[] { "builtins.eval", "builtins.exec", "builtins.getattr", "builtins.__import__", "os.system",
                     "posix.system", "subprocess.Popen", "copyreg._reconstructor", "builtins.object", "torch.load", "functools.partial" })
            Assert.DoesNotContain(forbidden, names);
        Assert.All(names, n => Assert.Matches(@"^(collections|builtins|_codecs|torch|numpy)\.", n));
        Assert.Equal(Encoding.ASCII.GetByteCount(string.Concat(names)), string.Concat(names).Length);
    }
}
