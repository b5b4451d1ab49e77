using NanoDet.Inference.Errors;
using NanoDet.Inference.Geometry;

namespace NanoDet.Inference.Detections;

/// <summary>One detection: class label, box, score, corners (TL, BL, BR, TR; null for a plain head).</summary>
public sealed record Detection(int Label, Box Box, float Score, Quad? Points);
