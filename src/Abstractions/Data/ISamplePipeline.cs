using NanoDet.Inference.Errors;
using NanoDet.Inference.Geometry;
using OpenCvSharp;

namespace NanoDet.Abstractions.Data;

/// <summary>
/// Turns a decoded image and its annotations into a <see cref="PreparedSample"/>: one composed warp
/// (image, boxes and corners), colour augmentation, normalisation. Must be thread-safe: loader workers call it
/// concurrently, each with its own <see cref="Random"/>.
/// </summary>
public interface ISamplePipeline
{
    InputSpec Input { get; }

    /// <summary>The normalisation <see cref="Prepare"/> applies (the pipeline's configuration or its defaults).</summary>
    PixelNormalization Normalization { get; }

    /// <param name="bgr">BGR 8-bit image (not modified, not disposed).</param>
    /// <param name="record">Ground truth in original pixels.</param>
    /// <param name="rng">Random source for augmentation; null means deterministic (validation/inference: resize + normalise only).</param>
    PreparedSample Prepare(Mat bgr, ImageRecord record, Random? rng);
}
