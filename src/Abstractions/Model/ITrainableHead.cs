using NanoDet.Inference.Detections;
using NanoDet.Inference.Errors;
using NanoDet.Inference.Geometry;
using static TorchSharp.torch;

namespace NanoDet.Abstractions.Model;

/// <summary>A head that computes its training loss (the main head of NanoDet-Plus; aux predictions guide assignment).</summary>
public interface ITrainableHead
{
    /// <param name="preds">Raw head output [B, N, K].</param>
    /// <param name="auxPreds">Raw aux head output [B, N, K], or null (assignment then uses <paramref name="preds"/>).</param>
    /// <param name="targets">Ground truth in network pixels.</param>
    HeadLoss Loss(Tensor preds, Tensor? auxPreds, DetectionTargets targets);
}
