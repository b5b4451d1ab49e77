using NanoDet.Inference.Errors;
using NanoDet.Inference.Geometry;

namespace NanoDet.Abstractions.Data;

/// <summary>How a loader batches a dataset.</summary>
/// <param name="BatchSize">Images per batch.</param>
/// <param name="Workers">Decode/augment threads (0 = on the calling thread).</param>
/// <param name="Shuffle">Shuffle each epoch (training).</param>
/// <param name="DropLast">Drop the last incomplete batch (training).</param>
/// <param name="Augment">Use the pipeline's random augmentation (training) or the deterministic path.</param>
/// <param name="Seed">Base seed: the order and every augmentation draw depend only on (seed, epoch, index).</param>
/// <param name="Prefetch">Batches prepared ahead of the consumer (bounded).</param>
/// <param name="TotalEpochs">Epochs of the whole run (0 = unknown); pipelines that change with the epoch (mosaic off for the last N) read it.</param>
public sealed record BatchLoaderSettings(int BatchSize, int Workers, bool Shuffle, bool DropLast, bool Augment, int Seed, int Prefetch = 2, int TotalEpochs = 0);
