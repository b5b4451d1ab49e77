using static TorchSharp.torch;

namespace NanoDet.Checkpoints.PyTorch.Pickle;

/// <summary>PyTorch storage class names and dtype names that map onto TorchSharp scalar types.</summary>
internal static class TorchDtypes
{
    /// <summary>torch.&lt;Name&gt; storage classes (typed storages as torch.save writes them).</summary>
    public static readonly IReadOnlyDictionary<string, ScalarType> StorageClasses = new Dictionary<string, ScalarType>
    {
        ["FloatStorage"] = ScalarType.Float32,
        ["DoubleStorage"] = ScalarType.Float64,
        ["HalfStorage"] = ScalarType.Float16,
        ["BFloat16Storage"] = ScalarType.BFloat16,
        ["LongStorage"] = ScalarType.Int64,
        ["IntStorage"] = ScalarType.Int32,
        ["ShortStorage"] = ScalarType.Int16,
        ["CharStorage"] = ScalarType.Int8,
        ["ByteStorage"] = ScalarType.Byte,
        ["BoolStorage"] = ScalarType.Bool,
        ["ComplexFloatStorage"] = ScalarType.ComplexFloat32,
        ["ComplexDoubleStorage"] = ScalarType.ComplexFloat64,
    };

    /// <summary>torch.&lt;name&gt; dtype objects (pickled by name).</summary>
    public static readonly IReadOnlyDictionary<string, ScalarType> DtypeNames = new Dictionary<string, ScalarType>
    {
        ["float32"] = ScalarType.Float32,
        ["float64"] = ScalarType.Float64,
        ["float16"] = ScalarType.Float16,
        ["bfloat16"] = ScalarType.BFloat16,
        ["int64"] = ScalarType.Int64,
        ["int32"] = ScalarType.Int32,
        ["int16"] = ScalarType.Int16,
        ["int8"] = ScalarType.Int8,
        ["uint8"] = ScalarType.Byte,
        ["bool"] = ScalarType.Bool,
        ["complex64"] = ScalarType.ComplexFloat32,
        ["complex128"] = ScalarType.ComplexFloat64,
    };

    public static int ElementSize(ScalarType t) => t switch
    {
        ScalarType.Byte or ScalarType.Int8 or ScalarType.Bool => 1,
        ScalarType.Int16 or ScalarType.Float16 or ScalarType.BFloat16 => 2,
        ScalarType.Int32 or ScalarType.Float32 => 4,
        ScalarType.Int64 or ScalarType.Float64 or ScalarType.ComplexFloat32 => 8,
        ScalarType.ComplexFloat64 => 16,
        _ => throw new ArgumentOutOfRangeException(nameof(t), t, "unsupported element type"),
    };

    /// <summary>Bytes reversed by a byte-order swap: complex numbers swap each component separately.</summary>
    public static int SwapUnit(ScalarType t) => t is ScalarType.ComplexFloat32 or ScalarType.ComplexFloat64
        ? ElementSize(t) / 2
        : ElementSize(t);

    /// <summary>PyTorch's spelling (float32, bfloat16, ...), for messages and tests.</summary>
    public static string Name(ScalarType t) => t switch
    {
        ScalarType.Byte => "uint8",
        ScalarType.ComplexFloat32 => "complex64",
        ScalarType.ComplexFloat64 => "complex128",
        _ => DtypeNames.First(p => p.Value == t).Key,
    };
}
