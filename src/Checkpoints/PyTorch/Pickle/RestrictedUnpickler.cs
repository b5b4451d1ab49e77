using System.Buffers.Binary;
using System.Globalization;
using System.Numerics;
using System.Text;
using NanoDet.Abstractions.Plugins;
using NanoDet.Inference.Errors;
using static TorchSharp.torch;

namespace NanoDet.Checkpoints.PyTorch.Pickle;

/// <summary>
/// A pickle interpreter (protocols 2–5, plus the simple protocol-0/1 opcodes) that builds plain .NET values and
/// refuses everything that could run code. Safety rests on three rules:
/// <list type="number">
/// <item>GLOBAL / STACK_GLOBAL resolve only names on <see cref="PickleAllowList"/>; any other name is rejected the
/// moment it is read, before any later opcode could use it. Nothing is imported or looked up by name.</item>
/// <item>REDUCE, NEWOBJ and BUILD are interpreted here for the few allowed roles (OrderedDict, tensor rebuild
/// functions, torch.Size, ...), with their arguments type-checked; every other use is rejected. INST, OBJ, the
/// extension registry and out-of-band buffers are rejected outright.</item>
/// <item>Every length and index is checked against the remaining input before anything is allocated, and storage
/// views are bounds-checked when they are described, so crafted sizes fail cleanly.</item>
/// </list>
/// Values: None → null, bool, int → long (BigInteger beyond 64 bits), float → double, str → string,
/// bytes → byte[], list → List&lt;object?&gt;, tuple → <see cref="PickleTuple"/>, dict/OrderedDict →
/// <see cref="PickleDict"/>, set → <see cref="PickleSet"/>, tensors → <see cref="TensorReference"/>.
/// </summary>
internal sealed class RestrictedUnpickler
{
    private const int MaxRank = 64;

    /// <summary>Largest tensor accepted that has more elements than its storage (an expanded, zero-stride view).</summary>
    private const long MaxExpandedBytes = 64L << 20;
    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    private readonly byte[] _data;
    private readonly string _source;
    private readonly IStorageResolver? _storages;
    private readonly List<object?> _stack = [];
    private readonly Stack<int> _marks = new();
    private readonly Dictionary<long, object?> _memo = [];
    private readonly HashSet<PickleTuple> _hashableTuples = new(ReferenceEqualityComparer.Instance);
    private int _pos;
    private int _opStart;

    /// <param name="data">The whole pickle (data.pkl).</param>
    /// <param name="source">Prefix for error messages: the checkpoint path.</param>
    /// <param name="storages">Resolves storage persistent ids; null refuses them.</param>
    public RestrictedUnpickler(byte[] data, string source, IStorageResolver? storages)
    {
        _data = data;
        _source = source;
        _storages = storages;
    }

    /// <summary>Interprets the pickle up to STOP and returns the top-level value.</summary>
    public object? Load()
    {
        while (true)
        {
            if (_pos >= _data.Length)
                throw Fail("data.pkl ends without a STOP opcode (truncated or damaged)");
            _opStart = _pos;
            var op = _data[_pos++];
            switch (op)
            {
                case PickleOpcodes.Stop:
                    if (_stack.Count == 0) throw Fail("STOP with an empty stack");
                    return Pop();
                case PickleOpcodes.Proto:
                    var protocol = ReadByte();
                    if (protocol > 5) throw Fail($"pickle protocol {protocol} is newer than any this reader knows (5)");
                    break;
                case PickleOpcodes.Frame:
                    ReadBytes(8, "FRAME header");
                    break;
                case PickleOpcodes.Mark:
                    _marks.Push(_stack.Count);
                    break;
                case PickleOpcodes.Pop:
                    if (_marks.Count > 0 && _marks.Peek() == _stack.Count) _marks.Pop();
                    else Pop();
                    break;
                case PickleOpcodes.PopMark:
                    PopMark();
                    break;
                case PickleOpcodes.Dup:
                    Push(Peek());
                    break;

                case PickleOpcodes.None:
                    Push(null);
                    break;
                case PickleOpcodes.NewTrue:
                    Push(true);
                    break;
                case PickleOpcodes.NewFalse:
                    Push(false);
                    break;
                case PickleOpcodes.Int:
                    Push(ParseIntLine(ReadLine("INT")));
                    break;
                case PickleOpcodes.BinInt:
                    Push((long)BinaryPrimitives.ReadInt32LittleEndian(ReadBytes(4, "BININT")));
                    break;
                case PickleOpcodes.BinInt1:
                    Push((long)ReadByte());
                    break;
                case PickleOpcodes.BinInt2:
                    Push((long)BinaryPrimitives.ReadUInt16LittleEndian(ReadBytes(2, "BININT2")));
                    break;
                case PickleOpcodes.Long:
                    Push(ParseLongLine(ReadLine("LONG")));
                    break;
                case PickleOpcodes.Long1:
                    Push(DecodeLong(ReadBytes(ReadByte(), "LONG1 value")));
                    break;
                case PickleOpcodes.Long4:
                    Push(DecodeLong(ReadBytes(ReadLength32("LONG4"), "LONG4 value")));
                    break;
                case PickleOpcodes.Float:
                    Push(ParseFloatLine(ReadLine("FLOAT")));
                    break;
                case PickleOpcodes.BinFloat:
                    Push(BinaryPrimitives.ReadDoubleBigEndian(ReadBytes(8, "BINFLOAT")));
                    break;

                case PickleOpcodes.BinUnicode:
                    Push(DecodeUtf8(ReadBytes(ReadLength32("BINUNICODE"), "BINUNICODE string")));
                    break;
                case PickleOpcodes.ShortBinUnicode:
                    Push(DecodeUtf8(ReadBytes(ReadByte(), "SHORT_BINUNICODE string")));
                    break;
                case PickleOpcodes.BinUnicode8:
                    Push(DecodeUtf8(ReadBytes(ReadLength64("BINUNICODE8"), "BINUNICODE8 string")));
                    break;
                case PickleOpcodes.BinString:
                    Push(DecodeUtf8(ReadBytes(ReadLength32("BINSTRING"), "BINSTRING string")));
                    break;
                case PickleOpcodes.ShortBinString:
                    Push(DecodeUtf8(ReadBytes(ReadByte(), "SHORT_BINSTRING string")));
                    break;
                case PickleOpcodes.String:
                    Push(DecodeUtf8(ProtocolZeroText.UnescapeQuoted(ReadLine("STRING"), Fail)));
                    break;
                case PickleOpcodes.Unicode:
                    Push(ProtocolZeroText.RawUnicodeEscape(ReadLine("UNICODE"), Fail));
                    break;
                case PickleOpcodes.BinBytes:
                    Push(ReadBytes(ReadLength32("BINBYTES"), "BINBYTES value").ToArray());
                    break;
                case PickleOpcodes.ShortBinBytes:
                    Push(ReadBytes(ReadByte(), "SHORT_BINBYTES value").ToArray());
                    break;
                case PickleOpcodes.BinBytes8:
                    Push(ReadBytes(ReadLength64("BINBYTES8"), "BINBYTES8 value").ToArray());
                    break;
                case PickleOpcodes.ByteArray8:
                    Push(ReadBytes(ReadLength64("BYTEARRAY8"), "BYTEARRAY8 value").ToArray());
                    break;

                case PickleOpcodes.EmptyList:
                    Push(new List<object?>());
                    break;
                case PickleOpcodes.List:
                    Push(new List<object?>(PopMark()));
                    break;
                case PickleOpcodes.Append:
                    {
                        var item = Pop();
                        ListTarget("APPEND").Add(item);
                        break;
                    }
                case PickleOpcodes.Appends:
                    {
                        var items = PopMark();
                        ListTarget("APPENDS").AddRange(items);
                        break;
                    }
                case PickleOpcodes.EmptyTuple:
                    Push(PickleTuple.Empty);
                    break;
                case PickleOpcodes.Tuple:
                    Push(new PickleTuple(PopMark()));
                    break;
                case PickleOpcodes.Tuple1:
                    Push(new PickleTuple([Pop()]));
                    break;
                case PickleOpcodes.Tuple2:
                    {
                        var b = Pop();
                        var a = Pop();
                        Push(new PickleTuple([a, b]));
                        break;
                    }
                case PickleOpcodes.Tuple3:
                    {
                        var c = Pop();
                        var b = Pop();
                        var a = Pop();
                        Push(new PickleTuple([a, b, c]));
                        break;
                    }
                case PickleOpcodes.EmptyDict:
                    Push(new PickleDict(isOrderedDict: false));
                    break;
                case PickleOpcodes.Dict:
                    {
                        var items = PopMark();
                        var dict = new PickleDict(isOrderedDict: false);
                        SetItems(dict, items, "DICT");
                        Push(dict);
                        break;
                    }
                case PickleOpcodes.SetItem:
                    {
                        var value = Pop();
                        var key = Pop();
                        SetItems(DictTarget("SETITEM"), [key, value], "SETITEM");
                        break;
                    }
                case PickleOpcodes.SetItems:
                    {
                        var items = PopMark();
                        SetItems(DictTarget("SETITEMS"), items, "SETITEMS");
                        break;
                    }
                case PickleOpcodes.EmptySet:
                    Push(new PickleSet(isFrozen: false));
                    break;
                case PickleOpcodes.AddItems:
                    {
                        var items = PopMark();
                        if (Peek() is not PickleSet { IsFrozen: false } set)
                            throw Refused($"applies ADDITEMS to a {PickleDescribe.TypeName(Peek())}; only sets accept it");
                        AddAll(set, items);
                        break;
                    }
                case PickleOpcodes.FrozenSet:
                    {
                        var set = new PickleSet(isFrozen: true);
                        AddAll(set, PopMark());
                        Push(set);
                        break;
                    }

                case PickleOpcodes.Put:
                    _memo[ParseMemoIndex(ReadLine("PUT"))] = Peek();
                    break;
                case PickleOpcodes.BinPut:
                    _memo[ReadByte()] = Peek();
                    break;
                case PickleOpcodes.LongBinPut:
                    _memo[BinaryPrimitives.ReadUInt32LittleEndian(ReadBytes(4, "LONG_BINPUT"))] = Peek();
                    break;
                case PickleOpcodes.Memoize:
                    _memo[_memo.Count] = Peek();
                    break;
                case PickleOpcodes.Get:
                    Push(MemoGet(ParseMemoIndex(ReadLine("GET"))));
                    break;
                case PickleOpcodes.BinGet:
                    Push(MemoGet(ReadByte()));
                    break;
                case PickleOpcodes.LongBinGet:
                    Push(MemoGet(BinaryPrimitives.ReadUInt32LittleEndian(ReadBytes(4, "LONG_BINGET"))));
                    break;

                case PickleOpcodes.Global:
                    {
                        var module = ReadTextLine("GLOBAL module");
                        var name = ReadTextLine("GLOBAL name");
                        Push(ResolveGlobal(module, name));
                        break;
                    }
                case PickleOpcodes.StackGlobal:
                    {
                        var name = Pop();
                        var module = Pop();
                        if (module is not string m || name is not string n)
                            throw Fail("STACK_GLOBAL needs two strings (module, name)");
                        Push(ResolveGlobal(m, n));
                        break;
                    }
                case PickleOpcodes.Reduce:
                    {
                        var args = Pop();
                        var callable = Pop();
                        if (args is not PickleTuple tuple)
                            throw Fail($"REDUCE arguments are a {PickleDescribe.TypeName(args)}, not a tuple");
                        Push(Call(callable, tuple, "REDUCE"));
                        break;
                    }
                case PickleOpcodes.NewObj:
                    {
                        var args = Pop();
                        var cls = Pop();
                        Push(NewObject(cls, args, kwargs: null));
                        break;
                    }
                case PickleOpcodes.NewObjEx:
                    {
                        var kwargs = Pop();
                        var args = Pop();
                        var cls = Pop();
                        Push(NewObject(cls, args, kwargs));
                        break;
                    }
                case PickleOpcodes.Build:
                    {
                        var state = Pop();
                        Build(Peek(), state);
                        break;
                    }
                case PickleOpcodes.BinPersId:
                    Push(PersistentLoad(Pop()));
                    break;

                case PickleOpcodes.PersId:
                    throw Fail("text persistent ids (PERSID) are not used by torch.save and are not accepted");
                case PickleOpcodes.Inst:
                    {
                        var module = ReadTextLine("INST module");
                        var name = ReadTextLine("INST name");
                        throw Refused($"uses the INST opcode (protocol-0 object construction) on '{module}.{name}'");
                    }
                case PickleOpcodes.Obj:
                    throw Refused("uses the OBJ opcode (protocol-1 object construction)");
                case PickleOpcodes.Ext1:
                case PickleOpcodes.Ext2:
                case PickleOpcodes.Ext4:
                    throw Refused("uses an EXT opcode (copyreg extension registry lookup)");
                case PickleOpcodes.NextBuffer:
                case PickleOpcodes.ReadOnlyBuffer:
                    throw Fail("out-of-band buffers (pickle protocol 5 NEXT_BUFFER) are not supported");
                default:
                    throw Fail($"unknown pickle opcode 0x{op:x2}");
            }
        }
    }

    // ---------------------------------------------------------------------------------------------------------
    // Globals and calls
    // ---------------------------------------------------------------------------------------------------------

    private AllowedGlobal ResolveGlobal(string module, string name)
    {
        if (PickleAllowList.TryResolve(module, name, out var global))
            return global;
        var full = $"{module}.{name}";
        throw Refused($"names the Python global '{full}', which is not on the allow-list", Hint(module, full));
    }

    private static string Hint(string module, string full)
    {
        if (module.StartsWith("torch.nn.", StringComparison.Ordinal) || module == "__main__"
            || module.StartsWith("nanodet", StringComparison.Ordinal)
            || module.StartsWith("pytorch_lightning", StringComparison.Ordinal)
            || module.StartsWith("lightning", StringComparison.Ordinal))
            return $" '{full}' is a Python class: the file pickles a whole object, not just tensors. In PyTorch, save the weights instead: torch.save(model.state_dict(), 'weights.pth').";
        if (module.StartsWith("numpy", StringComparison.Ordinal))
            return " numpy scalars are accepted, numpy arrays are not: store arrays as tensors.";
        return " Loading this file with Python's pickle or torch.load(weights_only=False) would run that code: treat it as untrusted.";
    }

    private object? Call(object? callable, PickleTuple args, string opcode)
    {
        if (callable is not AllowedGlobal g)
            throw Refused($"applies {opcode} to a {PickleDescribe.TypeName(callable)}, which is not an allow-listed callable");
        switch (g.Kind)
        {
            case GlobalKind.OrderedDict:
                return MakeOrderedDict(args, g);
            case GlobalKind.Set:
            case GlobalKind.FrozenSet:
                {
                    var set = new PickleSet(g.Kind == GlobalKind.FrozenSet);
                    if (args.Count > 1) throw BadArgs(g, "at most one iterable");
                    if (args.Count == 1) AddAll(set, Iterate(args[0], g));
                    return set;
                }
            case GlobalKind.Complex:
                {
                    if (args.Count > 2) throw BadArgs(g, "(real, imag)");
                    var re = args.Count > 0 ? ToDouble(args[0], g) : 0;
                    var im = args.Count > 1 ? ToDouble(args[1], g) : 0;
                    return new Complex(re, im);
                }
            case GlobalKind.Bytes:
                return MakeBytes(args, g);
            case GlobalKind.CodecsEncode:
                if (args.Count != 2 || args[0] is not string text || args[1] is not string encoding)
                    throw BadArgs(g, "(str, encoding)");
                return Encode(text, encoding, g);
            case GlobalKind.RebuildTensor:
                if (args.Count != 4) throw BadArgs(g, "(storage, offset, size, stride)");
                return MakeTensor(g, args[0], args[1], args[2], args[3], dtype: null, requiresGrad: false, metadata: null);
            case GlobalKind.RebuildTensorV2:
                if (args.Count is < 6 or > 7) throw BadArgs(g, "(storage, offset, size, stride, requires_grad, backward_hooks[, metadata])");
                return MakeTensor(g, args[0], args[1], args[2], args[3], dtype: null, ToBool(args[4], g),
                    args.Count == 7 ? args[6] : null);
            case GlobalKind.RebuildTensorV3:
                {
                    if (args.Count is < 7 or > 8) throw BadArgs(g, "(storage, offset, size, stride, requires_grad, backward_hooks, dtype[, metadata])");
                    if (args[6] is not AllowedGlobal { Kind: GlobalKind.Dtype, Dtype: { } dtype })
                        throw BadArgs(g, "a torch dtype as 7th argument");
                    return MakeTensor(g, args[0], args[1], args[2], args[3], dtype, ToBool(args[4], g),
                        args.Count == 8 ? args[7] : null);
                }
            case GlobalKind.RebuildParameter:
            case GlobalKind.RebuildParameterWithState:
                {
                    var expected = g.Kind == GlobalKind.RebuildParameter ? 3 : 4;
                    if (args.Count != expected || args[0] is not TensorReference data)
                        throw BadArgs(g, expected == 3 ? "(tensor, requires_grad, backward_hooks)" : "(tensor, requires_grad, backward_hooks, state)");
                    // The state of _rebuild_parameter_with_state is Python attributes: already parsed as plain data, dropped.
                    return Retag(data, ToBool(args[1], g), isParameter: true);
                }
            case GlobalKind.RebuildFromTypeV2:
                {
                    if (args.Count != 4 || args[0] is not AllowedGlobal inner || args[2] is not PickleTuple innerArgs)
                        throw BadArgs(g, "(function, type, args, state)");
                    if (args[1] is not AllowedGlobal { Kind: GlobalKind.TensorType } type)
                        throw Refused($"asks '{g.FullName}' to rebuild a tensor as {Describe(args[1])}; only torch.Tensor and torch.nn.Parameter are allowed");
                    if (inner.Kind is not (GlobalKind.RebuildTensor or GlobalKind.RebuildTensorV2 or GlobalKind.RebuildTensorV3
                        or GlobalKind.RebuildParameter or GlobalKind.RebuildParameterWithState))
                        throw Refused($"asks '{g.FullName}' to call '{inner.FullName}'; only tensor rebuild functions are allowed");
                    var result = Call(inner, innerArgs, opcode);
                    // state = Python attributes of the tensor subclass: plain data, dropped.
                    return result is TensorReference t && type.Name == "Parameter" ? Retag(t, t.RequiresGrad, isParameter: true) : result;
                }
            case GlobalKind.Size:
                if (args.Count > 1) throw BadArgs(g, "one tuple of ints");
                return args.Count == 0 ? PickleTuple.Empty : new PickleTuple(Iterate(args[0], g).Select(v => (object?)ToLong(v, g)).ToArray());
            case GlobalKind.Device:
                return MakeDevice(args, g);
            case GlobalKind.NumpyDtype:
                return MakeNumpyDtype(args, g);
            case GlobalKind.NumpyScalar:
                return MakeNumpyScalar(args, g);
            default:
                throw Refused($"applies {opcode} to '{g.FullName}', which is allowed only as data, never called");
        }
    }

    private object? NewObject(object? cls, object? args, object? kwargs)
    {
        var opcode = kwargs is null ? "NEWOBJ" : "NEWOBJ_EX";
        if (cls is not AllowedGlobal { Kind: GlobalKind.OrderedDict } g)
            throw Refused($"applies {opcode} to {Describe(cls)}; only collections.OrderedDict may be instantiated this way");
        if (args is not PickleTuple { Count: 0 } || (kwargs is not null && kwargs is not PickleDict { Count: 0 }))
            throw BadArgs(g, "no arguments");
        return new PickleDict(isOrderedDict: true);
    }

    private void Build(object? target, object? state)
    {
        switch (target)
        {
            case PickleDict { IsOrderedDict: true } dict:
                // OrderedDict.__reduce__ passes the instance __dict__ (a state_dict's _metadata), or (dict, slots).
                if (state is PickleTuple { Count: 2 } pair)
                {
                    CopyAttributes(dict, pair[0]);
                    CopyAttributes(dict, pair[1]);
                }
                else
                {
                    CopyAttributes(dict, state);
                }
                return;
            case NumpyDtype dtype:
                // (version, byteorder, subarray, names, fields, elsize, alignment, flags)
                if (state is not PickleTuple { Count: >= 2 } s || s[1] is not string order)
                    throw Fail("BUILD of a numpy dtype without a (version, byteorder, ...) state");
                dtype.BigEndian = order == ">";
                return;
            default:
                throw Refused($"applies BUILD (setting attributes) to {Describe(target)}; only OrderedDict instances accept it");
        }
    }

    private void CopyAttributes(PickleDict dict, object? state)
    {
        switch (state)
        {
            case null:
                return;
            case PickleDict attributes:
                foreach (var (key, value) in attributes.Entries)
                {
                    if (key is not string name) throw Fail("BUILD state with a non-string attribute name");
                    dict.Attributes[name] = value;
                }
                return;
            default:
                throw Fail($"BUILD state of an OrderedDict is a {PickleDescribe.TypeName(state)}, not a dict");
        }
    }

    private object PersistentLoad(object? pid)
    {
        if (_storages is null)
            throw Fail("a persistent id (tensor storage) in a pickle that has no storages");
        if (pid is not PickleTuple { Count: 5 } t || t[0] is not "storage")
            throw Fail($"unsupported persistent id {DescribeShort(pid)}; torch.save writes ('storage', type, key, location, numel)");
        if (t[1] is not AllowedGlobal { Kind: GlobalKind.StorageType, Dtype: { } dtype })
            throw Fail($"storage persistent id names {Describe(t[1])}, not a storage type");
        if (t[2] is not string key || t[3] is not string location)
            throw Fail("storage persistent id without a string key and location");
        var numel = t[4] is long n && n >= 0 ? n : throw Fail($"storage '{key}' declares {DescribeShort(t[4])} elements");
        return _storages.Resolve(key, dtype, numel, location);
    }

    // ---------------------------------------------------------------------------------------------------------
    // Tensors
    // ---------------------------------------------------------------------------------------------------------

    private TensorReference MakeTensor(AllowedGlobal g, object? storageArg, object? offsetArg, object? sizeArg,
        object? strideArg, ScalarType? dtype, bool requiresGrad, object? metadata)
    {
        if (storageArg is not StorageReference storage)
            throw BadArgs(g, $"a storage as first argument, got a {PickleDescribe.TypeName(storageArg)}");
        var tensorType = dtype ?? storage.Dtype;
        var offset = ToLong(offsetArg, g);
        var shape = Iterate(sizeArg, g).Select(v => ToLong(v, g)).ToArray();
        var stride = Iterate(strideArg, g).Select(v => ToLong(v, g)).ToArray();
        if (shape.Length != stride.Length)
            throw Fail($"tensor with {shape.Length} sizes but {stride.Length} strides");
        if (shape.Length > MaxRank)
            throw Fail($"tensor of rank {shape.Length} (more than {MaxRank} dimensions)");
        if (offset < 0 || shape.Any(s => s < 0) || stride.Any(s => s < 0))
            throw Fail($"tensor with a negative offset, size or stride (offset {offset}, shape [{string.Join(", ", shape)}], stride [{string.Join(", ", stride)}])");
        if (dtype is { } d && d != storage.Dtype && storage.Dtype != ScalarType.Byte)
            throw Fail($"storage '{storage.Key}' of {TorchDtypes.Name(storage.Dtype)} viewed as {TorchDtypes.Name(d)}");

        var (negated, conjugated) = ReadTensorMetadata(metadata);
        if (negated && tensorType == ScalarType.Bool) throw Fail("a bool tensor with a negation bit");
        var capacity = storage.ByteLength / TorchDtypes.ElementSize(tensorType);
        try
        {
            checked
            {
                var numel = 1L;
                var last = offset;
                for (var i = 0; i < shape.Length; i++)
                {
                    numel *= shape[i];
                    if (shape[i] > 0) last += (shape[i] - 1) * stride[i];
                }
                if (numel > 0 && last >= capacity)
                    throw Fail($"tensor view (offset {offset}, shape [{string.Join(", ", shape)}], stride [{string.Join(", ", stride)}]) reaches element {last}, outside its storage 'data/{storage.Key}' of {capacity} elements");
                // Zero strides let a tiny storage describe a huge tensor, which loading materialises.
                if (numel > capacity && numel * TorchDtypes.ElementSize(tensorType) > MaxExpandedBytes)
                    throw Fail($"tensor view of shape [{string.Join(", ", shape)}] expands storage 'data/{storage.Key}' of {capacity} elements to {numel} (over {MaxExpandedBytes >> 20} MiB)");
            }
        }
        catch (OverflowException)
        {
            throw Fail($"tensor view (shape [{string.Join(", ", shape)}], stride [{string.Join(", ", stride)}]) overflows 64-bit indexing");
        }

        return new TensorReference
        {
            Storage = storage,
            Dtype = tensorType,
            Offset = offset,
            Shape = shape,
            Stride = stride,
            RequiresGrad = requiresGrad,
            Negated = negated,
            Conjugated = conjugated,
        };
    }

    private (bool Negated, bool Conjugated) ReadTensorMetadata(object? metadata)
    {
        if (metadata is null) return (false, false);
        if (metadata is not PickleDict dict) throw Fail($"tensor metadata is a {PickleDescribe.TypeName(metadata)}, not a dict");
        bool neg = false, conj = false;
        foreach (var (key, value) in dict.Entries)
        {
            var on = value is true;
            switch (key)
            {
                case "neg": neg = on; break;
                case "conj": conj = on; break;
                default:
                    if (on) throw Fail($"unsupported tensor metadata '{key}'");
                    break;
            }
        }
        return (neg, conj);
    }

    private static TensorReference Retag(TensorReference t, bool requiresGrad, bool isParameter) => new()
    {
        Storage = t.Storage,
        Dtype = t.Dtype,
        Offset = t.Offset,
        Shape = t.Shape,
        Stride = t.Stride,
        RequiresGrad = requiresGrad,
        IsParameter = isParameter,
        Negated = t.Negated,
        Conjugated = t.Conjugated,
    };

    // ---------------------------------------------------------------------------------------------------------
    // Plain data constructors
    // ---------------------------------------------------------------------------------------------------------

    private PickleDict MakeOrderedDict(PickleTuple args, AllowedGlobal g)
    {
        var dict = new PickleDict(isOrderedDict: true);
        if (args.Count == 0) return dict;
        if (args.Count > 1) throw BadArgs(g, "at most one mapping or iterable of pairs");
        if (args[0] is PickleDict source)
        {
            foreach (var (k, v) in source.Entries) SetItems(dict, [k, v], g.FullName);
            return dict;
        }
        foreach (var pair in Iterate(args[0], g))
        {
            if (pair is not IReadOnlyList<object?> { Count: 2 } kv) throw BadArgs(g, "an iterable of (key, value) pairs");
            SetItems(dict, [kv[0], kv[1]], g.FullName);
        }
        return dict;
    }

    private byte[] MakeBytes(PickleTuple args, AllowedGlobal g)
    {
        switch (args.Count)
        {
            case 0:
                return [];
            case 1 when args[0] is byte[] b:
                return b;
            case 1 when args[0] is List<object?> ints:
                return ints.Select(v => v is long l && l is >= 0 and <= 255 ? (byte)l : throw BadArgs(g, "ints in 0..255")).ToArray();
            case 2 when args[0] is string text && args[1] is string encoding:
                return Encode(text, encoding, g);
            default:
                throw BadArgs(g, "(), (bytes,), ([ints],) or (str, encoding)");
        }
    }

    private byte[] Encode(string text, string encoding, AllowedGlobal g)
    {
        switch (encoding.ToLowerInvariant().Replace('_', '-'))
        {
            case "latin1":
            case "latin-1":
            case "iso-8859-1":
                var bytes = new byte[text.Length];
                for (var i = 0; i < text.Length; i++)
                    bytes[i] = text[i] <= 0xff ? (byte)text[i] : throw BadArgs(g, "latin-1 text");
                return bytes;
            case "utf-8":
            case "utf8":
                return Encoding.UTF8.GetBytes(text);
            case "ascii":
                return text.All(c => c < 0x80) ? Encoding.ASCII.GetBytes(text) : throw BadArgs(g, "ASCII text");
            default:
                throw BadArgs(g, $"a latin-1, UTF-8 or ASCII encoding, got '{encoding}'");
        }
    }

    private string MakeDevice(PickleTuple args, AllowedGlobal g)
    {
        if (args.Count is < 1 or > 2 || args[0] is not string type)
            throw BadArgs(g, "(type[, index])");
        if (args.Count == 1 || args[1] is null) return type;
        return $"{type}:{ToLong(args[1], g)}";
    }

    private NumpyDtype MakeNumpyDtype(PickleTuple args, AllowedGlobal g)
    {
        if (args.Count < 1 || args[0] is not string typestr || typestr.Length < 2)
            throw BadArgs(g, "(typestr, align, copy)");
        var kind = typestr[0];
        if (!int.TryParse(typestr.AsSpan(1), NumberStyles.None, CultureInfo.InvariantCulture, out var size)
            || !IsSupportedNumpy(kind, size))
            throw Refused($"names the numpy dtype '{typestr}'; only bool, int, uint, float and complex scalars are allowed");
        return new NumpyDtype(kind, size);
    }

    private static bool IsSupportedNumpy(char kind, int size) => kind switch
    {
        'b' => size == 1,
        'i' or 'u' => size is 1 or 2 or 4 or 8,
        'f' => size is 2 or 4 or 8,
        'c' => size is 8 or 16,
        _ => false,
    };

    private object MakeNumpyScalar(PickleTuple args, AllowedGlobal g)
    {
        if (args.Count != 2 || args[0] is not NumpyDtype dtype || args[1] is not byte[] raw)
            throw BadArgs(g, "(numpy dtype, bytes)");
        if (raw.Length != dtype.ItemSize)
            throw BadArgs(g, $"{dtype.ItemSize} bytes for a {dtype}, got {raw.Length}");
        var b = (byte[])raw.Clone();
        if (dtype.BigEndian != !BitConverter.IsLittleEndian)
        {
            var unit = dtype.Kind == 'c' ? dtype.ItemSize / 2 : dtype.ItemSize;
            for (var i = 0; i < b.Length; i += unit) Array.Reverse(b, i, unit);
        }
        return (dtype.Kind, dtype.ItemSize) switch
        {
            ('b', _) => b[0] != 0,
            ('i', 1) => (long)(sbyte)b[0],
            ('i', 2) => (long)BitConverter.ToInt16(b),
            ('i', 4) => (long)BitConverter.ToInt32(b),
            ('i', 8) => BitConverter.ToInt64(b),
            ('u', 1) => (long)b[0],
            ('u', 2) => (long)BitConverter.ToUInt16(b),
            ('u', 4) => (long)BitConverter.ToUInt32(b),
            ('u', 8) => BitConverter.ToUInt64(b) is var u && u <= long.MaxValue ? (long)u : (object)new BigInteger(u),
            ('f', 2) => (double)BitConverter.ToHalf(b),
            ('f', 4) => (double)BitConverter.ToSingle(b),
            ('f', 8) => BitConverter.ToDouble(b),
            ('c', 8) => new Complex(BitConverter.ToSingle(b), BitConverter.ToSingle(b, 4)),
            _ => new Complex(BitConverter.ToDouble(b), BitConverter.ToDouble(b, 8)),
        };
    }

    // ---------------------------------------------------------------------------------------------------------
    // Stack, memo and containers
    // ---------------------------------------------------------------------------------------------------------

    private void Push(object? value) => _stack.Add(value);

    private object? Pop()
    {
        if (_stack.Count == 0 || (_marks.Count > 0 && _marks.Peek() >= _stack.Count))
            throw Fail("stack underflow");
        var v = _stack[^1];
        _stack.RemoveAt(_stack.Count - 1);
        return v;
    }

    private object? Peek()
    {
        if (_stack.Count == 0 || (_marks.Count > 0 && _marks.Peek() >= _stack.Count))
            throw Fail("stack underflow");
        return _stack[^1];
    }

    private object?[] PopMark()
    {
        if (_marks.Count == 0) throw Fail("an opcode needs a MARK but none is set");
        var start = _marks.Pop();
        var items = _stack.GetRange(start, _stack.Count - start).ToArray();
        _stack.RemoveRange(start, _stack.Count - start);
        return items;
    }

    private object? MemoGet(long index) =>
        _memo.TryGetValue(index, out var v) ? v : throw Fail($"memo entry {index} is read before it is written");

    private List<object?> ListTarget(string opcode) => Peek() as List<object?>
        ?? throw Refused($"applies {opcode} to a {PickleDescribe.TypeName(Peek())}; only lists accept it");

    private PickleDict DictTarget(string opcode) => Peek() as PickleDict
        ?? throw Refused($"applies {opcode} to a {PickleDescribe.TypeName(Peek())}; only dicts accept it");

    private void SetItems(PickleDict dict, IReadOnlyList<object?> items, string opcode)
    {
        if (items.Count % 2 != 0) throw Fail($"{opcode} with an odd number of items");
        for (var i = 0; i < items.Count; i += 2)
        {
            PickleKeyComparer.EnsureHashable(items[i] ?? PickleNone.Instance, Fail, _hashableTuples);
            dict.Set(items[i], items[i + 1]);
        }
    }

    private void AddAll(PickleSet set, IEnumerable<object?> items)
    {
        foreach (var item in items)
        {
            PickleKeyComparer.EnsureHashable(item ?? PickleNone.Instance, Fail, _hashableTuples);
            set.Add(item);
        }
    }

    private IEnumerable<object?> Iterate(object? value, AllowedGlobal g) => value switch
    {
        PickleTuple t => t,
        List<object?> l => l,
        PickleSet s => s.Items,
        PickleDict d => d.Entries.Select(e => e.Key),
        _ => throw BadArgs(g, $"an iterable, got a {PickleDescribe.TypeName(value)}"),
    };

    // ---------------------------------------------------------------------------------------------------------
    // Input decoding
    // ---------------------------------------------------------------------------------------------------------

    private byte ReadByte()
    {
        if (_pos >= _data.Length) throw Fail("data.pkl ends in the middle of an opcode");
        return _data[_pos++];
    }

    private ReadOnlySpan<byte> ReadBytes(long count, string what)
    {
        if (count < 0 || count > _data.Length - _pos)
            throw Fail($"a {what} of {count} bytes runs past the end of data.pkl ({_data.Length - _pos} bytes left)");
        var span = _data.AsSpan(_pos, (int)count);
        _pos += (int)count;
        return span;
    }

    private long ReadLength32(string opcode) => BinaryPrimitives.ReadUInt32LittleEndian(ReadBytes(4, $"{opcode} length"));

    private long ReadLength64(string opcode)
    {
        var n = BinaryPrimitives.ReadUInt64LittleEndian(ReadBytes(8, $"{opcode} length"));
        return n > long.MaxValue ? long.MaxValue : (long)n;
    }

    private ReadOnlySpan<byte> ReadLine(string opcode)
    {
        var rest = _data.AsSpan(_pos);
        var end = rest.IndexOf((byte)'\n');
        if (end < 0) throw Fail($"{opcode} argument is not terminated by a newline");
        _pos += end + 1;
        return rest[..end];
    }

    private string ReadTextLine(string what) => DecodeUtf8(ReadLine(what)).TrimEnd('\r');

    private string DecodeUtf8(ReadOnlySpan<byte> bytes)
    {
        try
        {
            return StrictUtf8.GetString(bytes);
        }
        catch (DecoderFallbackException)
        {
            throw Fail("a string is not valid UTF-8");
        }
    }

    private object ParseIntLine(ReadOnlySpan<byte> line)
    {
        var text = DecodeUtf8(line).Trim();
        if (text == "01") return true;
        if (text == "00") return false;
        return ParseInteger(text);
    }

    private object ParseLongLine(ReadOnlySpan<byte> line) => ParseInteger(DecodeUtf8(line).Trim().TrimEnd('L'));

    private object ParseInteger(string text)
    {
        if (long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var l)) return l;
        if (BigInteger.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var big)) return big;
        throw Fail($"'{Truncate(text)}' is not an integer");
    }

    private double ParseFloatLine(ReadOnlySpan<byte> line)
    {
        var text = DecodeUtf8(line).Trim();
        switch (text)
        {
            case "nan": return double.NaN;
            case "inf": return double.PositiveInfinity;
            case "-inf": return double.NegativeInfinity;
        }
        return double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var d)
            ? d
            : throw Fail($"'{Truncate(text)}' is not a float");
    }

    private long ParseMemoIndex(ReadOnlySpan<byte> line) =>
        ParseInteger(DecodeUtf8(line).Trim()) is long l && l >= 0 ? l : throw Fail("invalid memo index");

    /// <summary>Little-endian two's complement, as LONG1/LONG4 store it.</summary>
    private static object DecodeLong(ReadOnlySpan<byte> bytes)
    {
        if (bytes.Length == 0) return 0L;
        var value = new BigInteger(bytes, isUnsigned: false, isBigEndian: false);
        return value >= long.MinValue && value <= long.MaxValue ? (object)(long)value : value;
    }

    private long ToLong(object? v, AllowedGlobal g) => v switch
    {
        long l => l,
        bool b => b ? 1 : 0,
        _ => throw BadArgs(g, $"an int, got {DescribeShort(v)}"),
    };

    private double ToDouble(object? v, AllowedGlobal g) => v switch
    {
        double d => d,
        long l => l,
        bool b => b ? 1 : 0,
        _ => throw BadArgs(g, $"a number, got {DescribeShort(v)}"),
    };

    private bool ToBool(object? v, AllowedGlobal g) => v switch
    {
        bool b => b,
        long l => l != 0,
        _ => throw BadArgs(g, $"a bool, got {DescribeShort(v)}"),
    };

    // ---------------------------------------------------------------------------------------------------------
    // Errors
    // ---------------------------------------------------------------------------------------------------------

    private InputDataException Fail(string message) =>
        new(OneLine($"{_source}: malformed checkpoint: {message} (data.pkl byte {_opStart})"));

    /// <summary>The pickle asks for something outside the allow-list: refuse, naming it.</summary>
    private InputDataException Refused(string what, string hint = "") =>
        new(OneLine($"{_source}: refused to load: data.pkl (byte {_opStart}) {what}. Only tensors, storages, OrderedDict " +
            $"and plain Python data are accepted; nothing in the file was executed.{hint}"));

    /// <summary>Names inside a pickle may contain control characters: keep the error on one line.</summary>
    private static string OneLine(string message) =>
        string.Create(message.Length, message, (span, m) =>
        {
            for (var i = 0; i < m.Length; i++) span[i] = char.IsControl(m[i]) ? '?' : m[i];
        });

    private InputDataException BadArgs(AllowedGlobal g, string expected) =>
        Fail($"'{g.FullName}' called with unexpected arguments (expects {expected})");

    private static string Describe(object? value) => value is AllowedGlobal g ? $"'{g.FullName}'" : $"a {PickleDescribe.TypeName(value)}";

    private static string DescribeShort(object? value) => value switch
    {
        string s => $"'{Truncate(s)}'",
        long or double or bool => Convert.ToString(value, CultureInfo.InvariantCulture)!,
        _ => $"a {PickleDescribe.TypeName(value)}",
    };

    private static string Truncate(string s) => s.Length <= 60 ? s : s[..60] + "…";
}
