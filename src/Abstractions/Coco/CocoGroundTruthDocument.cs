using System.Text.Json;

namespace NanoDet.Abstractions.Coco;

/// <summary>
/// A COCO ground-truth file as read by <see cref="CocoGroundTruthParser"/>: its <c>images</c>, <c>annotations</c>
/// and <c>categories</c> lists (other keys are passed over). The dataset plugin and the evaluator both read COCO
/// ground truth through it.
/// </summary>
public sealed class CocoGroundTruthDocument
{
    /// <summary>The first token of the content (<see cref="JsonTokenType.StartObject"/> for a COCO file), or null when the content is empty.</summary>
    public JsonTokenType? Root { get; internal set; }

    /// <summary>True when the file has an <c>images</c> list.</summary>
    public bool HasImages { get; internal set; }

    /// <summary>True when the file has a <c>categories</c> list.</summary>
    public bool HasCategories { get; internal set; }

    public List<CocoImageEntry> Images { get; } = [];

    public List<CocoAnnotationEntry> Annotations { get; } = [];

    public List<CocoCategoryEntry> Categories { get; } = [];

    /// <summary>
    /// Every value that is not what the format asks for, in file order (a lenient read; a strict one throws the first
    /// instead): wrong kinds, a <c>bbox</c> without four numbers, <c>points</c> without eight, missing required fields.
    /// </summary>
    public List<CocoFormatException> Problems { get; } = [];
}
