using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Configuration;
using NanoDet.Abstractions.Data;
using NanoDet.Datasets.Common;
using NanoDet.Inference.Errors;
using NanoDet.Inference.Geometry;

namespace NanoDet.Datasets.YoloPoints;

/// <summary>
/// Options of <c>YoloPointsDataset</c>: <c>img_path</c> (images, searched recursively) and <c>ann_path</c> (the
/// .txt labels; default: the sibling <c>labels</c> folder when the image folder is called <c>images</c>, else the
/// image folder itself). Class names: <c>class_names</c>, else <c>classes.txt</c> in the label folder, else the
/// seed's 36 classes.
/// </summary>
public sealed class YoloPointsDatasetOptions : DatasetOptions
{
    /// <summary><c>auto</c> (per file, by number count), <c>sjtu</c> (9), <c>pose13</c> or <c>pose17</c>.</summary>
    [ConfigurationKeyName(DatasetKeys.Layout)]
    [RegularExpression("(?i)^(auto|sjtu|pose13|pose17)$", ErrorMessage = "must be auto, sjtu, pose13 or pose17")]
    public string Layout { get; set; } = "auto";

    /// <summary>Images without a label file are pure negatives (Ultralytics' rule) instead of being skipped.</summary>
    [ConfigurationKeyName("allow_unlabeled")]
    public bool AllowUnlabeled { get; set; }

    public TxtLayout ParsedLayout => ParseLayout(Layout);

    public static TxtLayout ParseLayout(string text) => text.Trim().ToLowerInvariant() switch
    {
        "sjtu" or "9" => TxtLayout.Sjtu,
        "pose13" or "13" => TxtLayout.Pose13,
        "pose17" or "17" => TxtLayout.Pose17,
        _ => TxtLayout.Auto,
    };

    /// <summary>The label folder for an image folder when <c>ann_path</c> is not set.</summary>
    public static string DefaultLabelFolder(string imageFolder)
    {
        var full = Path.TrimEndingDirectorySeparator(Path.GetFullPath(imageFolder));
        return string.Equals(Path.GetFileName(full), "images", StringComparison.OrdinalIgnoreCase)
            ? Path.Combine(Path.GetDirectoryName(full)!, "labels")
            : full;
    }
}
