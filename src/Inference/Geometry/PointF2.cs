using NanoDet.Inference.Errors;

namespace NanoDet.Inference.Geometry;

/// <summary>A 2-D point in pixels.</summary>
public readonly record struct PointF2(float X, float Y);
