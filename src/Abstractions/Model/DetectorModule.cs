using NanoDet.Inference.Detections;
using NanoDet.Inference.Errors;
using NanoDet.Inference.Geometry;
using TorchSharp;
using static TorchSharp.torch;

namespace NanoDet.Abstractions.Model;

/// <summary>
/// An <c>arch</c> plugin product (NanoDetPlus): the whole detector. <c>forward</c> is the inference/export path:
/// [B, 3, H, W] → [B, N, K] with class scores after sigmoid (NanoDet's ONNX convention), no aux parts.
/// </summary>
public abstract class DetectorModule(string name) : nn.Module<Tensor, Tensor>(name)
{
    public abstract HeadLayout Layout { get; }

    /// <summary>0-based training epoch; controls feature detaching for the aux branch.</summary>
    public int Epoch { get; set; }

    /// <summary>Training forward: raw main-head output [B, N, K] and raw aux output [B, N, K] (null without aux).</summary>
    public abstract (Tensor Preds, Tensor? AuxPreds) ForwardTrain(Tensor images);

    /// <summary>Loss of a training forward.</summary>
    public abstract HeadLoss Loss(Tensor preds, Tensor? auxPreds, DetectionTargets targets);

    /// <summary>Names of state-dict entries used only in training (aux parts); excluded from inference weights.</summary>
    public abstract bool IsTrainingOnly(string stateDictKey);
}
