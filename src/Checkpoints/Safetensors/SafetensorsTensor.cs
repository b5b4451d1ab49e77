using NanoDet.Abstractions.Plugins;
using NanoDet.Inference.Errors;
using static TorchSharp.torch;

namespace NanoDet.Checkpoints.Safetensors;

/// <summary>One named tensor of a safetensors file: dtype, shape and raw little-endian bytes (row-major).</summary>
public sealed record SafetensorsTensor(string Name, SafetensorsDType DType, long[] Shape, byte[] Data)
{
    /// <summary>Number of elements (1 for a 0-d tensor).</summary>
    public long ElementCount => Shape.Aggregate(1L, (a, d) => a * d);

    /// <summary>Copies a tensor's bytes (detached, on the CPU, contiguous).</summary>
    public static SafetensorsTensor FromTensor(string name, Tensor t)
    {
        EnsureLittleEndian();
        using var cpu = t.detach().cpu().contiguous();
        var data = cpu.NumberOfElements == 0 ? [] : cpu.bytes.ToArray();
        return new SafetensorsTensor(name, SafetensorsDTypes.FromScalarType(t.dtype), cpu.shape, data);
    }

    /// <summary>
    /// A new CPU tensor with this entry's dtype, shape and bytes. <paramref name="source"/> names the file in the
    /// error for a dtype TorchSharp lacks (U16, U32, U64).
    /// </summary>
    public Tensor ToTensor(string source = "safetensors")
    {
        EnsureLittleEndian();
        var type = SafetensorsDTypes.ToScalarType(DType)
            ?? throw new InputDataException($"{source}: tensor '{Name}' has dtype {DType}, which TorchSharp cannot represent");
        var t = empty(Shape, dtype: type);
        if (Data.Length > 0) t.bytes = Data;
        return t;
    }

    private static void EnsureLittleEndian()
    {
        if (!BitConverter.IsLittleEndian)
            throw new PlatformNotSupportedException("safetensors data is little-endian; big-endian hosts are not supported");
    }
}
