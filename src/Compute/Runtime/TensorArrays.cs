using System.Runtime.InteropServices;
using TorchSharp;
using static TorchSharp.torch;

namespace NanoDet.Compute.Runtime;

/// <summary>Copies a tensor's values out to a managed array in one block.</summary>
public static class TensorArrays
{
    /// <summary>
    /// A float32 tensor's values in row-major order (moved to the CPU and made contiguous first when needed). One memory
    /// copy: TorchSharp's <c>data&lt;float&gt;().ToArray()</c> reads element by element, 1.2 ms for a [1, 2125, 106]
    /// output against 0.04 ms for this (`benchmarks -- infer-profile`).
    /// </summary>
    public static float[] ToFloatArray(Tensor tensor)
    {
        if (tensor.dtype != ScalarType.Float32)
            throw new ArgumentException($"expected a float32 tensor, got {tensor.dtype}", nameof(tensor));
        using var scope = NewDisposeScope();
        var cpu = tensor.device_type == DeviceType.CPU ? tensor : tensor.cpu();
        var dense = cpu.is_contiguous() ? cpu : cpu.contiguous();
        var values = new float[dense.numel()];
        if (values.Length > 0) MemoryMarshal.Cast<byte, float>(dense.bytes).CopyTo(values);
        return values;
    }
}
