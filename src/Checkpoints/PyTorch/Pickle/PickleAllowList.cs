namespace NanoDet.Checkpoints.PyTorch.Pickle;

/// <summary>
/// The only Python globals a checkpoint may name. Each is interpreted by <see cref="RestrictedUnpickler"/> as data
/// (a container, a number, a tensor description); no name is ever imported, looked up or called. The list is a
/// subset of what PyTorch's own <c>torch.load(weights_only=True)</c> accepts, plus numpy scalars (read as numbers).
/// </summary>
internal static class PickleAllowList
{
    private static readonly Dictionary<string, (GlobalKind Kind, TorchSharp.torch.ScalarType? Dtype)> Entries = Build();

    /// <summary>
    /// Modules whose classes are accepted as inert names (<see cref="GlobalKind.CallbackClass"/>): Lightning ≤ 1.4
    /// wrote <c>{ModelCheckpoint: {...}}</c> with the class itself as the key. Such a name can never be called or built.
    /// </summary>
    public static readonly IReadOnlyList<string> CallbackModulePrefixes = ["pytorch_lightning.callbacks.", "lightning.pytorch.callbacks."];

    /// <summary>Every allowed name, for documentation and tests.</summary>
    public static IEnumerable<string> Names => Entries.Keys.Order(StringComparer.Ordinal);

    /// <summary>Looks up <paramref name="module"/>.<paramref name="name"/>; Python 2 spellings (<c>__builtin__</c>) count as their Python 3 names.</summary>
    public static bool TryResolve(string module, string name, out AllowedGlobal global)
    {
        var canonical = module == "__builtin__" ? "builtins" : module;
        if (Entries.TryGetValue($"{canonical}.{name}", out var e))
        {
            global = new AllowedGlobal(module, name, e.Kind, e.Dtype);
            return true;
        }
        if (CallbackModulePrefixes.Any(p => module.StartsWith(p, StringComparison.Ordinal)) && IsClassName(name))
        {
            global = new AllowedGlobal(module, name, GlobalKind.CallbackClass);
            return true;
        }
        global = null!;
        return false;
    }

    /// <summary>A plain Python identifier starting with a capital (a class, not a function or a dotted path).</summary>
    private static bool IsClassName(string name) =>
        name.Length > 0 && char.IsAsciiLetterUpper(name[0]) && name.All(c => char.IsAsciiLetterOrDigit(c) || c == '_');

    private static Dictionary<string, (GlobalKind, TorchSharp.torch.ScalarType?)> Build()
    {
        var d = new Dictionary<string, (GlobalKind, TorchSharp.torch.ScalarType?)>(StringComparer.Ordinal)
        {
            ["collections.OrderedDict"] = (GlobalKind.OrderedDict, null),
            ["builtins.set"] = (GlobalKind.Set, null),
            ["builtins.frozenset"] = (GlobalKind.FrozenSet, null),
            ["builtins.complex"] = (GlobalKind.Complex, null),
            ["builtins.bytes"] = (GlobalKind.Bytes, null),
            ["builtins.bytearray"] = (GlobalKind.Bytes, null),
            ["_codecs.encode"] = (GlobalKind.CodecsEncode, null),
            ["torch._utils._rebuild_tensor"] = (GlobalKind.RebuildTensor, null),
            ["torch._utils._rebuild_tensor_v2"] = (GlobalKind.RebuildTensorV2, null),
            ["torch._utils._rebuild_tensor_v3"] = (GlobalKind.RebuildTensorV3, null),
            ["torch._utils._rebuild_parameter"] = (GlobalKind.RebuildParameter, null),
            ["torch._utils._rebuild_parameter_with_state"] = (GlobalKind.RebuildParameterWithState, null),
            ["torch._tensor._rebuild_from_type_v2"] = (GlobalKind.RebuildFromTypeV2, null),
            ["torch.Tensor"] = (GlobalKind.TensorType, null),
            ["torch.nn.parameter.Parameter"] = (GlobalKind.TensorType, null),
            ["torch.Size"] = (GlobalKind.Size, null),
            ["torch.device"] = (GlobalKind.Device, null),
            ["torch.UntypedStorage"] = (GlobalKind.StorageType, TorchSharp.torch.ScalarType.Byte),
            ["torch.storage.UntypedStorage"] = (GlobalKind.StorageType, TorchSharp.torch.ScalarType.Byte),
            ["numpy.dtype"] = (GlobalKind.NumpyDtype, null),
            ["numpy.core.multiarray.scalar"] = (GlobalKind.NumpyScalar, null),
            ["numpy._core.multiarray.scalar"] = (GlobalKind.NumpyScalar, null),
        };
        foreach (var (cls, dtype) in TorchDtypes.StorageClasses)
        {
            d[$"torch.{cls}"] = (GlobalKind.StorageType, dtype);
            d[$"torch.cuda.{cls}"] = (GlobalKind.StorageType, dtype); // very old GPU checkpoints
        }
        foreach (var (name, dtype) in TorchDtypes.DtypeNames)
            d[$"torch.{name}"] = (GlobalKind.Dtype, dtype);
        return d;
    }
}
