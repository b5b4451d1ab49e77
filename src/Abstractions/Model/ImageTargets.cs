using NanoDet.Inference.Detections;
using NanoDet.Inference.Errors;
using NanoDet.Inference.Geometry;
using static TorchSharp.torch;

namespace NanoDet.Abstractions.Model;

/// <summary>Ground truth of one image in network-input pixels, as tensors on the training device.</summary>
/// <param name="Boxes">float32 [M, 4] xyxy.</param>
/// <param name="Labels">int64 [M].</param>
/// <param name="Points">float32 [M, 8] TL, BL, BR, TR; null for a plain (no-corner) head.</param>
public sealed record ImageTargets(Tensor Boxes, Tensor Labels, Tensor? Points);
