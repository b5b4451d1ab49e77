using NanoDet.Abstractions.Data;
using NanoDet.Abstractions.Evaluation;
using NanoDet.Host.Evaluation;

namespace NanoDet.Host.Training;

/// <summary>The validation half of a session: data, evaluator and the key that picks the best checkpoint.</summary>
public sealed record ValidationSet(
    IDetectionDataset Dataset,
    IBatchLoader Loader,
    IDetectionEvaluator Evaluator,
    DetectionRunner Runner,
    string SaveKey);
