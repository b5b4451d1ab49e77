using NanoDet.Inference.Errors;
using NanoDet.Inference.Geometry;
using TorchSharp;

namespace NanoDet.Abstractions.Data;

/// <summary>
/// A collated batch. <see cref="Images"/> is zero-padded bottom/right to the batch maximum, each side rounded up
/// to a multiple of 32. Owns the tensor: dispose the batch when done. A batch keeps its place in the epoch's plan
/// even when some of its images could not be decoded: those are left out and listed in <see cref="Skipped"/>
/// (a batch whose images all failed is empty, B = 0).
/// </summary>
public sealed class DetectionBatch(torch.Tensor images, IReadOnlyList<PreparedSample> samples, IReadOnlyList<SkippedItem>? skipped = null) : IDisposable
{
    /// <summary>float32 [B, 3, H, W] normalised BGR.</summary>
    public torch.Tensor Images { get; } = images;

    /// <summary>Per image: targets in network pixels, warp matrix, source record.</summary>
    public IReadOnlyList<PreparedSample> Samples { get; } = samples;

    /// <summary>Images of this batch's plan entry left out because they could not be read or decoded (file and reason).</summary>
    public IReadOnlyList<SkippedItem> Skipped { get; } = skipped ?? [];

    public int Count => Samples.Count;

    /// <summary>Padded input height H.</summary>
    public int Height => (int)Images.shape[2];

    /// <summary>Padded input width W.</summary>
    public int Width => (int)Images.shape[3];

    public void Dispose() => Images.Dispose();
}
