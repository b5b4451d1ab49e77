using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Configuration;

namespace NanoDet.Training;

/// <summary>
/// The loop-level keys of NanoDet's <c>schedule</c> section (optimizer, warmup and lr_schedule are bound by
/// their own options classes), plus this tool's fault-handling keys.
/// </summary>
public sealed class ScheduleOptions
{
    [ConfigurationKeyName("total_epochs")]
    [Range(1, 1_000_000)]
    public int TotalEpochs { get; set; } = 300;

    [ConfigurationKeyName("val_intervals")]
    [Range(1, 1_000_000)]
    public int ValIntervals { get; set; } = 10;

    /// <summary>Weights to start from (.safetensors, .pth or .ckpt); loaded partially with a report.</summary>
    [ConfigurationKeyName("load_model")]
    public string? LoadModel { get; set; }

    /// <summary>NanoDet's resume key: a resume-state file to continue from (same as <c>--resume FILE</c>).</summary>
    [ConfigurationKeyName("resume")]
    public string? Resume { get; set; }

    /// <summary>Abort after this many consecutive steps with a non-finite loss (each such step is skipped).</summary>
    [ConfigurationKeyName("max_nonfinite_steps")]
    [Range(1, 1_000_000)]
    public int MaxNonFiniteSteps { get; set; } = 20;

    /// <summary>
    /// Largest share of an epoch's training images that may fail to decode (each is left out of its batch for that
    /// epoch and reported); one more aborts the run naming the share and the first files.
    /// </summary>
    [ConfigurationKeyName("max_undecodable_share")]
    [Range(0.0, 1.0)]
    public double MaxUndecodableShare { get; set; } = 0.1;

    /// <summary>Seed for initialisation, data order and augmentation.</summary>
    [ConfigurationKeyName("seed")]
    public int Seed { get; set; } = 42;
}
