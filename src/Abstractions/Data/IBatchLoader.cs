using NanoDet.Inference.Errors;
using NanoDet.Inference.Geometry;

namespace NanoDet.Abstractions.Data;

/// <summary>Multi-threaded, deterministic batch source over a dataset and a pipeline.</summary>
public interface IBatchLoader
{
    /// <summary>Number of batches one epoch yields.</summary>
    int BatchesPerEpoch { get; }

    /// <summary>
    /// Batches of epoch <paramref name="epoch"/>, starting at batch <paramref name="startBatch"/> (resume in the
    /// middle of an epoch without decoding the skipped images). Identical for the same (settings, epoch) whatever
    /// the worker count. The caller disposes each batch.
    /// </summary>
    IEnumerable<DetectionBatch> Batches(int epoch, int startBatch = 0, CancellationToken cancellation = default);
}
