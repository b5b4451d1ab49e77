using System.Globalization;
using NanoDet.Abstractions.Model;
using NanoDet.Inference.Detections;
using NanoDet.Inference.Errors;
using NanoDet.Inference.Geometry;

namespace NanoDet.Abstractions.Evaluation;

/// <summary>
/// One entry of a COCO results file (the list pycocotools' <c>loadRes</c> reads), plus the optional four corners.
/// </summary>
/// <param name="ImageId">COCO image id.</param>
/// <param name="CategoryId">COCO category id (not the 0-based label).</param>
/// <param name="X">Box left, pixels.</param>
/// <param name="Y">Box top, pixels.</param>
/// <param name="Width">Box width (x2 − x1, no +1).</param>
/// <param name="Height">Box height.</param>
/// <param name="Score">Confidence.</param>
/// <param name="Points">Corners x1,y1,…,x4,y4 in the order TL, BL, BR, TR; null for a plain box detector.</param>
public sealed record CocoResultRecord(
    int ImageId, int CategoryId, double X, double Y, double Width, double Height, double Score,
    IReadOnlyList<double>? Points = null)
{
    /// <summary>
    /// From a detection on image <paramref name="imageId"/>; <paramref name="classes"/> maps the label to its
    /// category id. Float values are written as their shortest decimal form (123.45f becomes 123.45, not
    /// 123.44999694824219), which is what a reader of the file expects to see.
    /// </summary>
    public static CocoResultRecord From(int imageId, Detection detection, Data.ClassTable classes)
    {
        ArgumentNullException.ThrowIfNull(detection);
        ArgumentNullException.ThrowIfNull(classes);
        if (detection.Label < 0 || detection.Label >= classes.Count)
            throw new ArgumentOutOfRangeException(nameof(detection), $"label {detection.Label} is outside the class table (0..{classes.Count - 1})");
        var b = detection.Box;
        return new CocoResultRecord(
            imageId, classes.CategoryIds[detection.Label],
            Short(b.X1), Short(b.Y1), Short(b.Width), Short(b.Height), Short(detection.Score),
            detection.Points is { } q ? Array.ConvertAll(q.ToArray(), Short) : null);
    }

    private static double Short(float f) => double.Parse(f.ToString("R", CultureInfo.InvariantCulture), CultureInfo.InvariantCulture);
}
