using static TorchSharp.torch;

namespace NanoDet.Heads.Losses;

/// <summary>
/// Training targets of a batch built from one assignment (docs/reference.md#training-targets), flattened over
/// images: prior index b·N + i. Label weights are 1 for every prior (no ignore regions), so they are implicit.
/// </summary>
/// <param name="Labels">int64 [B·N]: matched class, C (background) for negatives.</param>
/// <param name="Scores">float32 [B·N]: IoU of the assigning prediction with its ground truth (QFL soft target), 0 for negatives.</param>
/// <param name="PosIndex">int64 [P]: flat indices of the positives.</param>
/// <param name="PriorIndex">int64 [P]: prior index within the image (PosIndex mod N).</param>
/// <param name="BoxTargets">float32 [P, 4]: matched ground-truth boxes, xyxy pixels.</param>
/// <param name="DistTargets">float32 [P, D]: box sides then corner distances, stride units, clamped to [0, R − 0.1].</param>
/// <param name="NumPositives">P.</param>
public sealed record LossTargets(Tensor Labels, Tensor Scores, Tensor PosIndex, Tensor PriorIndex,
    Tensor BoxTargets, Tensor DistTargets, int NumPositives);
