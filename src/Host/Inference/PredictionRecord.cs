using NanoDet.Abstractions.Evaluation;

namespace NanoDet.Host.Inference;

/// <summary>
/// One line of <c>predictions.json</c>: a COCO result (with points) plus the file it came from, for a video the
/// frame, and with a camera the plate's pose solved from the corners.
/// </summary>
internal sealed record PredictionRecord(string FileName, int? Frame, CocoResultRecord Result, NanoDet.Inference.Pose.ObjectPose? Pose = null);
