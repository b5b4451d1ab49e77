using NanoDet.Inference.Errors;
using NanoDet.Inference.Geometry;

namespace NanoDet.Inference.Detections;

/// <summary>How one input image maps to the network: the preprocessing warp and the original size.</summary>
public sealed record ImageGeometry(WarpMatrix Warp, int OriginalWidth, int OriginalHeight);
