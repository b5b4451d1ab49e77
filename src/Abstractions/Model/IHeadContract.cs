using NanoDet.Inference.Detections;
using NanoDet.Inference.Errors;
using NanoDet.Inference.Geometry;

namespace NanoDet.Abstractions.Model;

/// <summary>
/// What a head plugin declares about itself from its options alone, without building the module: its output layout
/// (strides, reg_max, corner encoding) and the assigner's candidate rule. Implemented by the head's options class,
/// so the host can ask the configured head (<see cref="Plugins.IPluginResolver.Options"/>) instead of re-reading
/// its keys and defaults.
/// </summary>
public interface IHeadContract
{
    /// <summary>The layout the built head reports as <see cref="HeadModule.Layout"/>.</summary>
    HeadLayout Layout { get; }

    /// <summary>
    /// The assigner's candidate rule in strides: a prior is a candidate for a ground truth inside its box, or, when
    /// positive, also within this many strides of the box centre (0 = inside the box only).
    /// </summary>
    double CandidateCenterRadius { get; }
}
