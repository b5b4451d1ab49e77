using NanoDet.Abstractions.Data;
using NanoDet.Inference.Errors;
using NanoDet.Inference.Geometry;

namespace NanoDet.Abstractions.Evaluation;

/// <summary>Ground truth and detections to evaluate, both in original-image pixels.</summary>
public sealed record EvaluationInput(ClassTable Classes, IReadOnlyList<ImageRecord> Images, IReadOnlyList<ImageDetection> Detections);
