using NanoDet.Inference.Detections;
using NanoDet.Inference.Errors;
using NanoDet.Inference.Geometry;
using static TorchSharp.torch;

namespace NanoDet.Abstractions.Model;

/// <summary>An <c>assigner</c> plugin product: matches priors to ground truth for one image, without gradients.</summary>
public interface IAssigner
{
    /// <param name="clsLogits">[N, C] class logits.</param>
    /// <param name="priors">[N, 4] (cx, cy, stride_w, stride_h).</param>
    /// <param name="decodedBoxes">[N, 4] xyxy, unclamped.</param>
    /// <param name="decodedPoints">[N, 8] corners, unclamped; null for a plain head.</param>
    /// <param name="gtBoxes">[M, 4] xyxy.</param>
    /// <param name="gtLabels">int64 [M].</param>
    /// <param name="gtPoints">[M, 8]; null for a plain head.</param>
    AssignResult Assign(Tensor clsLogits, Tensor priors, Tensor decodedBoxes, Tensor? decodedPoints,
        Tensor gtBoxes, Tensor gtLabels, Tensor? gtPoints);
}
