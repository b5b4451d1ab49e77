using NanoDet.Abstractions.Data;
using NanoDet.Inference.Errors;
using NanoDet.Inference.Geometry;

namespace NanoDet.Datasets.Pipeline;

/// <summary>
/// What a multi-image pipeline step (mosaic, mixup) may read besides the sample itself: the dataset its partner
/// images come from and the epoch, so that mosaic can be off for the last <c>close_mosaic</c> epochs.
/// </summary>
/// <param name="Dataset">The dataset being loaded (partners are drawn from its <see cref="IDetectionDataset.Images"/>).</param>
/// <param name="Epoch">0-based epoch of the sample.</param>
/// <param name="TotalEpochs">Epochs of the run; 0 = unknown (mosaic never closes).</param>
public sealed record MixSource(IDetectionDataset Dataset, int Epoch, int TotalEpochs);
