using TorchSharp;

namespace NanoDet.Abstractions.Data;

/// <summary>
/// A collated batch. <see cref="Images"/> is zero-padded bottom/right to the batch maximum, each side rounded up
/// to a multiple of 32. Owns the tensor: dispose the batch when done.
/// </summary>
public sealed class DetectionBatch(torch.Tensor images, IReadOnlyList<PreparedSample> samples) : IDisposable
{
    /// <summary>float32 [B, 3, H, W] normalised BGR.</summary>
    public torch.Tensor Images { get; } = images;

    /// <summary>Per image: targets in network pixels, warp matrix, source record.</summary>
    public IReadOnlyList<PreparedSample> Samples { get; } = samples;

    public int Count => Samples.Count;

    /// <summary>Padded input height H.</summary>
    public int Height => (int)Images.shape[2];

    /// <summary>Padded input width W.</summary>
    public int Width => (int)Images.shape[3];

    public void Dispose() => Images.Dispose();
}
