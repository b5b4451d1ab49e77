using static TorchSharp.torch;

namespace NanoDet.Tests.Shared;

/// <summary>Tensor comparisons for assertions.</summary>
public static class TensorAssert
{
    /// <summary>Same shape, dtype and every element equal.</summary>
    public static bool Same(Tensor a, Tensor b) =>
        a.shape.SequenceEqual(b.shape) && a.dtype == b.dtype && a.eq(b).all().item<bool>();
}
