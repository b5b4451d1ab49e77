using NanoDet.Abstractions.Geometry;

namespace NanoDet.Abstractions.Model;

/// <summary>How one input image maps to the network: the preprocessing warp and the original size.</summary>
public sealed record ImageGeometry(WarpMatrix Warp, int OriginalWidth, int OriginalHeight);
