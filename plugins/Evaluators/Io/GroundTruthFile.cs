using NanoDet.Evaluators.Corners;

namespace NanoDet.Evaluators.Io;

/// <summary>The parts of a COCO ground-truth file the evaluator uses, as read (double precision).</summary>
internal sealed class GroundTruthFile
{
    public List<ImageEntry> Images { get; } = [];
    public List<AnnotationEntry> Annotations { get; } = [];
    public List<CategoryEntry> Categories { get; } = [];
    public bool HasImages { get; set; }
    public bool HasCategories { get; set; }

    public readonly record struct ImageEntry(int Id, string? FileName, int Width, int Height, long Offset);

    /// <summary>
    /// One annotation. <c>Area</c> is the <c>area</c> field (null when absent: then w·h is used); <c>Ignore</c> is
    /// the <c>ignore</c> field, which pycocotools replaces with iscrowd, so it does not affect evaluation.
    /// </summary>
    public readonly record struct AnnotationEntry(
        long? Id, int ImageId, int CategoryId, double X, double Y, double W, double H, double? Area,
        bool IsCrowd, bool Ignore, Quadrilateral? Points, long Offset);

    public readonly record struct CategoryEntry(int Id, string? Name, long Offset);
}
