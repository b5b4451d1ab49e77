using NanoDet.Inference.Errors;
using NanoDet.Inference.Geometry;

namespace NanoDet.Abstractions.Data;

/// <summary>
/// One object: class label (0-based index into the class table), box, and the four corners (null only for
/// plain box datasets or crowd regions).
/// </summary>
/// <param name="Label">0-based class index.</param>
/// <param name="Box">xyxy box in pixels of the image it belongs to.</param>
/// <param name="Points">Corners TL, BL, BR, TR; null when the source has none.</param>
/// <param name="IsCrowd">COCO crowd/ignore region: not a training target, ignored by the evaluator's matching.</param>
/// <param name="Area">COCO <c>area</c> as given by the file (used by the evaluator); null = box area.</param>
public sealed record Annotation(int Label, Box Box, Quad? Points, bool IsCrowd = false, float? Area = null)
{
    /// <summary>The area the COCO evaluator uses for area ranges.</summary>
    public float EvalArea => Area ?? Box.Area;

    /// <summary>The object's true 3-D pose when the source knows it (the synthetic generator's pinhole mode); else null.</summary>
    public NanoDet.Inference.Pose.ObjectPose? Pose { get; init; }
}
