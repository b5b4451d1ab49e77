using NanoDet.Abstractions.Evaluation;

namespace NanoDet.Host.Inference;

/// <summary>One line of <c>predictions.json</c>: a COCO result (with points) plus the file it came from and, for a video, the frame.</summary>
public sealed record PredictionRecord(string FileName, int? Frame, CocoResultRecord Result);
