using System.Diagnostics;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using NanoDet.Abstractions.Evaluation;
using NanoDet.Evaluators.Classification;
using NanoDet.Evaluators.Coco;
using NanoDet.Evaluators.Corners;
using NanoDet.Evaluators.Io;
using NanoDet.Evaluators.Keypoints;
using NanoDet.Evaluators.Plots;
using NanoDet.Evaluators.Reporting;

namespace NanoDet.Evaluators;

/// <summary>
/// COCO bbox evaluation with pycocotools' COCOeval semantics (bit-identical stats on the same inputs), NanoDet's
/// per-class AP table, corner metrics of matched detections, an AP with quadrilateral IoU, the OKS keypoint AP over
/// the corners, per-class precision / recall / F1, a confusion matrix with background, and PR / corner-error /
/// confusion plots. See docs/evaluation.md for the definitions.
/// </summary>
public sealed class CocoDetectionEvaluator : IDetectionEvaluator
{
    /// <summary>The 12 COCO stats in pycocotools' order, under NanoDet's names (AR names are ours).</summary>
    public static IReadOnlyList<string> CocoStatNames => CocoSummary.StatNames;

    /// <summary>Metrics a trainer may select the best checkpoint by (higher is better).</summary>
    public static IReadOnlyList<string> MetricNames { get; } =
        [.. CocoSummary.StatNames, "quad_mAP", "quad_AP_50", .. KeypointSection.MetricNames, .. ScoresSection.MetricNames];

    private readonly CocoDetectionEvaluatorOptions _options;
    private readonly ILogger _logger;

    public CocoDetectionEvaluator(CocoDetectionEvaluatorOptions? options = null, ILogger? logger = null)
    {
        _options = options ?? new CocoDetectionEvaluatorOptions();
        _logger = logger ?? NullLogger.Instance;
    }

    /// <summary>The metric that selects the best checkpoint (<c>evaluator:save_key</c>).</summary>
    public string SaveKey => _options.SaveKey;

    /// <inheritdoc />
    /// <remarks>
    /// An input returned by <see cref="ReadCocoFiles"/> is evaluated from the files' double-precision values;
    /// any other input from its records (float boxes, areas and scores, as NanoDet's own evaluation sees them).
    /// </remarks>
    public EvaluationReport Evaluate(EvaluationInput input, string? outputDirectory)
    {
        ArgumentNullException.ThrowIfNull(input);
        var data = ExactInputs.Find(input) ?? EvalDatasetBuilder.From(input);
        return Evaluate(data, outputDirectory);
    }

    /// <inheritdoc />
    public EvaluationInput ReadCocoFiles(string annotationsPath, string detectionsPath)
    {
        var (input, data) = CocoFileLoader.Load(annotationsPath, detectionsPath);
        ExactInputs.Remember(input, data);
        return input;
    }

    internal EvaluationReport Evaluate(EvalDataset data, string? outputDirectory)
    {
        if (_options.ClassAgnostic) data = ClassAgnosticView.Of(data);
        var clock = Stopwatch.StartNew();
        var acc = CocoEvaluator.Run(data, BoxOverlap.Instance, CocoParameters.Bbox());
        bool noDetections = data.DetectionCount == 0;
        // NanoDet skips COCOeval when there is nothing to evaluate and reports every metric as 0.
        var stats = noDetections ? new double[CocoSummary.StatNames.Count] : CocoSummary.Stats(acc);
        var perClass = PerClassAp.Compute(acc, data.ClassNames);

        var metrics = new Dictionary<string, double>();
        for (int i = 0; i < stats.Length; i++) metrics[CocoSummary.StatNames[i]] = stats[i];

        CornerSection? corners = null;
        KeypointSection? keypoints = null;
        if (QuadDataset.HasCorners(data))
        {
            var cornerMetrics = CornerMatcher.Compute(data, _options.CornerMatchIou);
            var quadAcc = CocoEvaluator.Run(QuadDataset.From(data), QuadOverlap.Instance, CocoParameters.AllAreasMaxDets100());
            corners = new CornerSection(cornerMetrics,
                QuadAp(quadAcc, null), QuadAp(quadAcc, 0.5), _options.CornerMatchIou);
            corners.AddTo(metrics);
            keypoints = KeypointSection.Compute(data, _options.OksSigmas);
            keypoints.AddTo(metrics);
        }
        var scores = new ScoresSection(ClassScoreCalculator.Compute(data, _options.PrIou, _options.ScoreThreshold),
            ConfusionMatrixBuilder.Compute(data, _options.PrIou, _options.ScoreThreshold), _options.PrIou, _options.ScoreThreshold);
        scores.AddTo(metrics);
        _logger.LogDebug("COCO evaluation of {Images} images, {Detections} detections in {Ms:F0} ms",
            data.ImageIds.Length, data.DetectionCount, clock.Elapsed.TotalMilliseconds);

        var files = new List<string>();
        if (outputDirectory is not null && _options.Plots)
        {
            Directory.CreateDirectory(outputDirectory);
            int w = _options.PlotWidth, h = _options.PlotHeight;
            files.Add(PrCurvePlotter.Overall(acc, stats, outputDirectory, w, h));
            if (acc.K > 0) files.Add(PrCurvePlotter.PerClass(acc, perClass, outputDirectory, w / 2, h / 2));
            if (corners is not null && CornerHistogramPlotter.Write(corners.Metrics, outputDirectory, w, h) is { } hist) files.Add(hist);
            files.Add(ConfusionMatrixWriter.WritePng(scores.Confusion, outputDirectory, w, w));
            files.Add(ConfusionMatrixWriter.WriteJson(scores.Confusion, outputDirectory));
        }

        var sb = new System.Text.StringBuilder(ReportText.Build(data, stats, noDetections, perClass, corners));
        keypoints?.AppendTo(sb);
        scores.AppendTo(sb);
        return new EvaluationReport(metrics, perClass, sb.ToString(), files, scores.PerClass, scores.Confusion);
    }

    /// <summary>quad_mAP / quad_AP_50: the mean over classes with corner ground truth; 0 when there are no detections, as for mAP.</summary>
    private static double QuadAp(CocoAccumulation acc, double? iou)
    {
        double v = CocoSummary.MeanPrecision(acc, iou, "all", 100);
        return acc.DetectionCount == 0 ? 0 : v;
    }
}
