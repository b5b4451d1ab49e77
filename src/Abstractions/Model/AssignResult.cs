using NanoDet.Inference.Detections;
using NanoDet.Inference.Errors;
using NanoDet.Inference.Geometry;
using static TorchSharp.torch;

namespace NanoDet.Abstractions.Model;

/// <summary>Label assignment of one image.</summary>
/// <param name="NumGts">M.</param>
/// <param name="GtIndex">int64 [N]: 0 = negative, j ≥ 1 = matched ground truth j − 1.</param>
/// <param name="MaxOverlaps">float32 [N]: IoU of the prediction with its matched ground truth (0 for negatives).</param>
/// <param name="Labels">int64 [N]: matched class, −1 for negatives.</param>
public sealed record AssignResult(int NumGts, Tensor GtIndex, Tensor MaxOverlaps, Tensor Labels);
