using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Configuration;

namespace NanoDet.Evaluators;

/// <summary>Options of the <c>CocoDetectionEvaluator</c> plugin (config section <c>evaluator</c>).</summary>
public sealed class CocoDetectionEvaluatorOptions : IValidatableObject
{
    /// <summary>The metric that selects the best checkpoint (NanoDet: <c>mAP</c>).</summary>
    [ConfigurationKeyName("save_key")]
    public string SaveKey { get; set; } = "mAP";

    /// <summary>Write PNG plots when an output directory is given.</summary>
    [ConfigurationKeyName("plots")]
    public bool Plots { get; set; } = true;

    /// <summary>Size of the single plots (pixels); a per-class grid cell is half of it in each direction.</summary>
    [ConfigurationKeyName("plot_width")]
    [Range(200, 8000)]
    public int PlotWidth { get; set; } = 900;

    [ConfigurationKeyName("plot_height")]
    [Range(150, 8000)]
    public int PlotHeight { get; set; } = 650;

    /// <summary>Box IoU a detection needs to be matched to ground truth for the corner metrics.</summary>
    [ConfigurationKeyName("corner_match_iou")]
    [Range(0.05, 1.0)]
    public double CornerMatchIou { get; set; } = 0.5;

    /// <summary>
    /// Per-corner OKS sigmas (TL, BL, BR, TR) of the keypoint AP; absent = <see cref="DefaultOksSigma"/> for each.
    /// pycocotools' keypoint evaluation calls them <c>kpt_oks_sigmas</c>.
    /// </summary>
    [ConfigurationKeyName("kpt_oks_sigmas")]
    public List<double>? KptOksSigmas { get; set; }

    /// <summary>Score threshold of the reported precision / recall / F1 and of the confusion matrix.</summary>
    [ConfigurationKeyName("score_threshold")]
    [Range(0.0, 1.0)]
    public double ScoreThreshold { get; set; } = 0.35;

    /// <summary>Box IoU a detection needs to count as a true positive for precision / recall / F1 and the confusion matrix.</summary>
    [ConfigurationKeyName("pr_iou")]
    [Range(0.05, 1.0)]
    public double PrIou { get; set; } = 0.5;

    /// <summary>
    /// Pool all classes into one before evaluating (pycocotools' <c>useCats = 0</c>): a detection matches ground truth
    /// of any class. For data labelled in another class scheme than the model's, e.g. real frames of plate types it
    /// was not trained on; every metric, the corner metrics included, then answers "found, and how well placed".
    /// </summary>
    [ConfigurationKeyName("class_agnostic")]
    public bool ClassAgnostic { get; set; }

    /// <summary>Sigma of every corner when <c>kpt_oks_sigmas</c> is absent: a corner off by a tenth of √area scores exp(−0.5) ≈ 0.61.</summary>
    public const double DefaultOksSigma = 0.05;

    public IReadOnlyList<double> OksSigmas => KptOksSigmas ?? [DefaultOksSigma, DefaultOksSigma, DefaultOksSigma, DefaultOksSigma];

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (!CocoDetectionEvaluator.MetricNames.Contains(SaveKey))
            yield return new ValidationResult(
                $"unknown metric; choose one of {string.Join(", ", CocoDetectionEvaluator.MetricNames)}", [nameof(SaveKey)]);
        if (KptOksSigmas is not null && (KptOksSigmas.Count != 4 || KptOksSigmas.Any(v => !(v > 0) || !double.IsFinite(v))))
            yield return new ValidationResult("must be 4 positive numbers, one per corner (TL, BL, BR, TR)", [nameof(KptOksSigmas)]);
    }
}
