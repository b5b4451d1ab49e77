using NanoDet.Abstractions.Data;
using NanoDet.Inference.Errors;
using NanoDet.Inference.Geometry;

namespace NanoDet.Datasets.Common;

/// <summary>One object as a reader found it, in pixels, before validation.</summary>
/// <param name="Label">0-based class index.</param>
/// <param name="Box">xyxy in pixels, or null when the file has no box (derived from the corners).</param>
/// <param name="Points">Corners in internal order TL, BL, BR, TR, or null.</param>
/// <param name="IsCrowd">Crowd/ignore region.</param>
/// <param name="Area">COCO area as written, or null.</param>
public sealed record RawObject(int Label, double[]? Box, Quad? Points, bool IsCrowd = false, double? Area = null);
