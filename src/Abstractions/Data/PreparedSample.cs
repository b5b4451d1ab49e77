using NanoDet.Abstractions.Geometry;
using NanoDet.Inference.Errors;
using NanoDet.Inference.Geometry;

namespace NanoDet.Abstractions.Data;

/// <summary>
/// One sample after the pipeline: normalised BGR float image in CHW order, targets warped into network-input
/// pixels, and the matrix that maps original pixels to network-input pixels.
/// </summary>
/// <param name="Image">float32 [3, Height, Width], normalised BGR, CHW.</param>
/// <param name="Width">Width of <paramref name="Image"/> (before batch padding).</param>
/// <param name="Height">Height of <paramref name="Image"/>.</param>
/// <param name="Targets">Objects in network-input pixels (crowd regions kept, flagged).</param>
/// <param name="Warp">Original → network-input pixels.</param>
/// <param name="Source">The image record the sample came from.</param>
public sealed record PreparedSample(float[] Image, int Width, int Height, IReadOnlyList<Annotation> Targets, WarpMatrix Warp, ImageRecord Source);
