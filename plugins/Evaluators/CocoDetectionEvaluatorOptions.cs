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

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (!CocoDetectionEvaluator.MetricNames.Contains(SaveKey))
            yield return new ValidationResult(
                $"unknown metric; choose one of {string.Join(", ", CocoDetectionEvaluator.MetricNames)}", [nameof(SaveKey)]);
    }
}
