using System.Text.Json;

namespace NanoDet.Abstractions.Coco;

/// <summary>
/// One entry of a COCO ground-truth file's <c>annotations</c> list as written (docs/data.md, "COCO with points"):
/// fields that are absent, null or of the wrong kind are null, lists keep whatever length they have, so each reader
/// applies its own rules (the dataset reader skips an object, the evaluator stops at the first problem).
/// </summary>
public sealed class CocoAnnotationEntry
{
    /// <summary>Position in the list.</summary>
    public required int Index { get; init; }

    /// <summary>Byte offset of the entry.</summary>
    public required long Offset { get; init; }

    /// <summary>False when the entry is not a JSON object (every field is then null).</summary>
    public bool IsObject { get; init; } = true;

    /// <summary><c>id</c> (64-bit).</summary>
    public long? Id { get; init; }

    /// <summary><c>image_id</c>.</summary>
    public int? ImageId { get; init; }

    /// <summary><c>category_id</c>.</summary>
    public int? CategoryId { get; init; }

    /// <summary><c>bbox</c> [x, y, w, h] as given (any length).</summary>
    public CocoNumbers? Bbox { get; init; }

    /// <summary><c>area</c>.</summary>
    public double? Area { get; init; }

    /// <summary>True when <c>area</c> is given but is not a number.</summary>
    public bool AreaInvalid { get; init; }

    /// <summary><c>iscrowd</c> is true or a non-zero number.</summary>
    public bool IsCrowd { get; init; }

    /// <summary><c>ignore</c> is true or a non-zero number (the official tools treat it as crowd when loading).</summary>
    public bool Ignore { get; init; }

    /// <summary><c>points</c>: x1,y1,…,x4,y4 in the file's corner order (any length as given).</summary>
    public CocoNumbers? Points { get; init; }

    /// <summary><c>keypoints</c>: 8 numbers, or 12 as (x, y, v) triplets (any length as given).</summary>
    public CocoNumbers? Keypoints { get; init; }

    /// <summary>The object's true 3-D pose (<c>pose</c>, read by <see cref="NanoDet.Inference.Pose.PoseJson"/>), when given.</summary>
    public JsonElement? Pose { get; init; }

    /// <summary>
    /// The four corners (8 numbers) the entry gives: <c>points</c> when present (null unless it has 8 numbers), else
    /// <c>keypoints</c> with 8 numbers, or 12 as triplets whose visibilities are all non-zero; null otherwise (a
    /// visibility of 0 means the corner is not labelled).
    /// </summary>
    public double[]? Corners =>
        Points is not null ? Points.Values is { Length: 8 } p ? p : null
        : Keypoints?.Values is { } k ? KeypointCorners(k) : null;

    /// <summary>The corners of a <c>keypoints</c> list, or null when it has no four labelled corners.</summary>
    public static double[]? KeypointCorners(double[] keypoints) => keypoints.Length switch
    {
        8 => keypoints,
        12 when keypoints[2] != 0 && keypoints[5] != 0 && keypoints[8] != 0 && keypoints[11] != 0 =>
            [keypoints[0], keypoints[1], keypoints[3], keypoints[4], keypoints[6], keypoints[7], keypoints[9], keypoints[10]],
        _ => null,
    };
}
