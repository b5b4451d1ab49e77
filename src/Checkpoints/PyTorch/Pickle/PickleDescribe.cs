using System.Numerics;

namespace NanoDet.Checkpoints.PyTorch.Pickle;

/// <summary>Python-style type names for unpickled values, used in error messages.</summary>
internal static class PickleDescribe
{
    public static string TypeName(object? value) => value switch
    {
        null => "None",
        bool => "bool",
        long or BigInteger => "int",
        double => "float",
        string => "str",
        byte[] => "bytes",
        Complex => "complex",
        PickleTuple => "tuple",
        List<object?> => "list",
        PickleDict { IsOrderedDict: true } => "OrderedDict",
        PickleDict => "dict",
        PickleSet { IsFrozen: true } => "frozenset",
        PickleSet => "set",
        TensorReference => "Tensor",
        StorageReference => "storage",
        AllowedGlobal g => $"'{g.FullName}'",
        NumpyDtype => "numpy.dtype",
        _ => value.GetType().Name,
    };
}
