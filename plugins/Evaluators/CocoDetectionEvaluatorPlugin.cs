using Microsoft.Extensions.Logging;
using NanoDet.Abstractions.Evaluation;
using NanoDet.Abstractions.Plugins;
using NanoDet.Inference.Errors;

namespace NanoDet.Evaluators;

/// <summary>Registers <see cref="CocoDetectionEvaluator"/> under NanoDet's name.</summary>
[NanoDetPlugin(PluginKind.Evaluator, "CocoDetectionEvaluator",
    Description = "COCO bbox mAP with pycocotools semantics, corner errors, quadrilateral AP, PR plots")]
public sealed class CocoDetectionEvaluatorPlugin : PluginFactory<CocoDetectionEvaluatorOptions, IDetectionEvaluator>
{
    public override IDetectionEvaluator Create(CocoDetectionEvaluatorOptions options, PluginContext context) =>
        new CocoDetectionEvaluator(options, context.Loggers.CreateLogger<CocoDetectionEvaluator>());
}
