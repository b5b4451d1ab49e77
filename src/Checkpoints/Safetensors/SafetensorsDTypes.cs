using static TorchSharp.torch;

namespace NanoDet.Checkpoints.Safetensors;

/// <summary>Sizes and TorchSharp equivalents of <see cref="SafetensorsDType"/>.</summary>
internal static class SafetensorsDTypes
{
    /// <summary>Bytes per element.</summary>
    public static int ElementSize(SafetensorsDType t) => t switch
    {
        SafetensorsDType.BOOL or SafetensorsDType.U8 or SafetensorsDType.I8 => 1,
        SafetensorsDType.I16 or SafetensorsDType.U16 or SafetensorsDType.F16 or SafetensorsDType.BF16 => 2,
        SafetensorsDType.I32 or SafetensorsDType.U32 or SafetensorsDType.F32 => 4,
        SafetensorsDType.F64 or SafetensorsDType.I64 or SafetensorsDType.U64 => 8,
        _ => throw new ArgumentOutOfRangeException(nameof(t), t, null),
    };

    /// <summary>Parses a header dtype name (exact, upper case as the format defines); null if unknown.</summary>
    public static SafetensorsDType? Parse(string name) =>
        Enum.TryParse<SafetensorsDType>(name, ignoreCase: false, out var t) && Enum.IsDefined(t) && name == t.ToString() ? t : null;

    /// <summary>The TorchSharp scalar type, or null when TorchSharp has none (U16, U32, U64).</summary>
    public static ScalarType? ToScalarType(SafetensorsDType t) => t switch
    {
        SafetensorsDType.BOOL => ScalarType.Bool,
        SafetensorsDType.U8 => ScalarType.Byte,
        SafetensorsDType.I8 => ScalarType.Int8,
        SafetensorsDType.I16 => ScalarType.Int16,
        SafetensorsDType.F16 => ScalarType.Float16,
        SafetensorsDType.BF16 => ScalarType.BFloat16,
        SafetensorsDType.I32 => ScalarType.Int32,
        SafetensorsDType.F32 => ScalarType.Float32,
        SafetensorsDType.F64 => ScalarType.Float64,
        SafetensorsDType.I64 => ScalarType.Int64,
        _ => null,
    };

    /// <summary>The safetensors dtype of a TorchSharp scalar type; throws for types the format cannot hold.</summary>
    public static SafetensorsDType FromScalarType(ScalarType t) => t switch
    {
        ScalarType.Bool => SafetensorsDType.BOOL,
        ScalarType.Byte => SafetensorsDType.U8,
        ScalarType.Int8 => SafetensorsDType.I8,
        ScalarType.Int16 => SafetensorsDType.I16,
        ScalarType.Float16 => SafetensorsDType.F16,
        ScalarType.BFloat16 => SafetensorsDType.BF16,
        ScalarType.Int32 => SafetensorsDType.I32,
        ScalarType.Float32 => SafetensorsDType.F32,
        ScalarType.Float64 => SafetensorsDType.F64,
        ScalarType.Int64 => SafetensorsDType.I64,
        _ => throw new NotSupportedException($"tensors of type {t} cannot be stored in safetensors"),
    };
}
