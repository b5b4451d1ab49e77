using NanoDet.Inference.Detections;
using NanoDet.Inference.Errors;
using NanoDet.Inference.Geometry;
using static TorchSharp.torch;

namespace NanoDet.Abstractions.Model;

/// <summary>Result of a loss computation.</summary>
/// <param name="Total">Scalar tensor to back-propagate.</param>
/// <param name="Terms">Detached values for logging, NanoDet's keys (<c>loss_qfl</c>, <c>loss_bbox</c>, <c>loss_dfl</c>, <c>aux_loss_qfl</c>, ...).</param>
/// <param name="NumPositives">Positive priors in the batch.</param>
public sealed record HeadLoss(Tensor Total, IReadOnlyDictionary<string, float> Terms, int NumPositives);
