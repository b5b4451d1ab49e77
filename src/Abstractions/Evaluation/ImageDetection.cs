using NanoDet.Abstractions.Model;
using NanoDet.Inference.Detections;
using NanoDet.Inference.Errors;
using NanoDet.Inference.Geometry;

namespace NanoDet.Abstractions.Evaluation;

/// <summary>A detection on image <paramref name="ImageId"/>, in original-image pixels.</summary>
public sealed record ImageDetection(int ImageId, Detection Detection);
