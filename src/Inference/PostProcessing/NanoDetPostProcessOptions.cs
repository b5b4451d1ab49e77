using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Configuration;

namespace NanoDet.Inference.PostProcessing;

/// <summary>Options of the <c>postprocess</c> section; defaults are the reference's (docs/reference.md#post-processing).</summary>
public sealed class NanoDetPostProcessOptions
{
    /// <summary>Candidates need a class score strictly above this.</summary>
    [ConfigurationKeyName("score_thr")]
    [Range(0.0, 1.0)]
    public float ScoreThreshold { get; set; } = 0.05f;

    /// <summary>Suppress a box whose IoU with a kept box of the same class is strictly above this.</summary>
    [ConfigurationKeyName("nms_iou")]
    [Range(0.0, 1.0)]
    public float NmsIou { get; set; } = 0.6f;

    /// <summary>Detections kept per image after NMS (the seed used 20; COCO maxDets is 100).</summary>
    [ConfigurationKeyName("max_num")]
    [Range(1, 100000)]
    public int MaxDetections { get; set; } = 100;
}
