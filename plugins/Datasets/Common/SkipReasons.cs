using NanoDet.Abstractions.Data;
using NanoDet.Inference.Errors;
using NanoDet.Inference.Geometry;

namespace NanoDet.Datasets.Common;

/// <summary>
/// Stable reason keys for skipped images and objects (grouped in summaries and by <c>data check</c>; listed in
/// docs/data.md).
/// </summary>
public static class SkipReasons
{
    public const string MissingImage = "missing image";
    public const string UnreadableImage = "unreadable image";
    /// <summary>The header was readable at load time but the pixels could not be decoded when a batch was built.</summary>
    public const string UndecodableImage = SkippedItem.UndecodableImage;
    public const string ImageSizeMismatch = "image size mismatch";
    public const string PathEscapes = "path escapes image folder";
    public const string MissingFileName = "missing file name";
    public const string MalformedFile = "malformed file";
    public const string LabelWithoutImage = "label without image";
    public const string ImageWithoutLabel = "image without label";
    public const string DuplicateImage = "duplicate image";
    public const string InvalidImageEntry = "invalid image entry";
    public const string UnknownImageId = "unknown image id";
    public const string UnknownClass = "unknown class";
    public const string MissingPoints = "missing points";
    public const string PartialPoints = "partial points";
    public const string PartialBox = "partial box";
    public const string MissingBox = "missing box and points";
    public const string NonPositiveBox = "non-positive box";
    public const string NonPositiveArea = "non-positive area";
    public const string TinyBox = "box under 1 px";
    public const string BoxOutsideImage = "box outside image";
    public const string PointsOutsideBox = "points outside box";
    public const string CornerBeyondMargin = "corner beyond border margin";
    public const string NonFinite = "non-finite number";
    public const string InvalidNumber = "invalid number";
    public const string OutOfRange = "out of range";
    public const string WrongNumberCount = "wrong number count";
}
