using NanoDet.Inference.Errors;
using NanoDet.Inference.Geometry;

namespace NanoDet.Abstractions.Data;

/// <summary>
/// How a pipeline normalises pixels for the network: <c>(value − Mean[c]) / Std[c]</c> per channel, channels in
/// B, G, R order, values on the 0..255 scale. The pipeline owns it (its configuration and defaults); a preview that
/// draws a prepared sample, or anything else that must undo or repeat the step, asks
/// <see cref="ISamplePipeline.Normalization"/>.
/// </summary>
/// <param name="Mean">Three means, B, G, R.</param>
/// <param name="Std">Three standard deviations, B, G, R (positive).</param>
public sealed record PixelNormalization(IReadOnlyList<double> Mean, IReadOnlyList<double> Std);
