using NanoDet.Inference.Errors;

namespace NanoDet.Abstractions.Evaluation;

/// <summary>An <c>evaluator</c> plugin product (CocoDetectionEvaluator).</summary>
public interface IDetectionEvaluator
{
    /// <summary>The metric that picks the best checkpoint (the evaluator's <c>save_key</c> option or its default).</summary>
    string SaveKey { get; }

    /// <summary>Evaluates; writes plots under <paramref name="outputDirectory"/> when it is not null.</summary>
    EvaluationReport Evaluate(EvaluationInput input, string? outputDirectory);

    /// <summary>
    /// Reads a COCO ground-truth file and a COCO results file (image_id, category_id, bbox [x,y,w,h], score,
    /// optional points) exactly as given, for <c>nanodet eval --annotations --detections</c>. Malformed input
    /// throws <see cref="InputDataException"/> naming the file and entry.
    /// </summary>
    EvaluationInput ReadCocoFiles(string annotationsPath, string detectionsPath);
}
