using Microsoft.Extensions.Logging;
using NanoDet.Abstractions.Data;
using NanoDet.Abstractions.Plugins;
using NanoDet.Datasets.Common;
using NanoDet.Inference.Errors;
using NanoDet.Inference.Geometry;

namespace NanoDet.Datasets.YoloPoints;

/// <summary>
/// One .txt per image beside an image folder, as RoboMaster teams publish armor data: SJTU
/// (<c>cls x1 y1 … x4 y4</c>) or YOLO-pose (<c>cls cx cy w h x1 y1 … x4 y4</c> [+ visibilities]).
/// Images of any size; the size comes from the image header.
/// </summary>
[NanoDetPlugin(PluginKind.Dataset, "YoloPointsDataset", Description = "one .txt per image: SJTU 9-number or YOLO-pose 13/17-number lines")]
public sealed class YoloPointsDataset : PluginFactory<YoloPointsDatasetOptions, IDetectionDataset>
{
    /// <summary>Class-name file of the YOLO convention, looked for in the label folder.</summary>
    public const string ClassesFile = "classes.txt";

    public override IDetectionDataset Create(YoloPointsDatasetOptions options, PluginContext context)
    {
        var section = context.Section;
        var imgPath = DatasetOptions.RequirePath(options.ImgPath, section, DatasetKeys.ImagePath);
        if (!Directory.Exists(imgPath))
            throw new ConfigurationException($"{section.Path}:img_path: folder not found: {imgPath}");
        var annPath = string.IsNullOrWhiteSpace(options.AnnPath)
            ? YoloPointsDatasetOptions.DefaultLabelFolder(imgPath)
            : Path.GetFullPath(options.AnnPath);
        if (!Directory.Exists(annPath))
            throw new ConfigurationException($"{section.Path}:ann_path: label folder not found: {annPath}");
        return Load(section.Key, imgPath, annPath, options.ClassNames, PointOrder.FromSection(section), options.ParsedLayout,
            options.AllowUnlabeled, options.Rules, options.Strict, context.Loggers.CreateLogger("NanoDet.Datasets.YoloPointsDataset"));
    }

    /// <summary>Class names: configured, else <c>classes.txt</c> in the label folder, else the seed's 36.</summary>
    public static IReadOnlyList<string> ClassNames(IReadOnlyList<string>? configured, string annPath)
    {
        if (configured is { Count: > 0 }) return configured;
        var file = Path.Combine(annPath, ClassesFile);
        if (File.Exists(file))
        {
            var names = File.ReadAllLines(file).Select(l => l.Trim()).Where(l => l.Length > 0).ToArray();
            if (names.Length > 0) return names;
        }
        return ArmorClassScheme.SeedNames;
    }

    public static LoadedDataset Load(string source, string imgPath, string annPath, IReadOnlyList<string>? classNames, PointOrder order,
        TxtLayout layout, bool allowUnlabeled, ObjectRules rules, bool strict, ILogger log)
    {
        var classes = ClassTable.FromNames(ClassNames(classNames, annPath));
        var builder = new DatasetBuilder(source, classes, rules, new SkipLog(strict));
        var folder = new ImageFolder(imgPath);
        var images = folder.ListImages();
        var labelRoot = new ImageFolder(annPath);
        var labels = Directory.EnumerateFiles(annPath, "*.txt", SearchOption.AllDirectories)
            .Select(labelRoot.Relative)
            .Where(r => !string.Equals(r, ClassesFile, StringComparison.OrdinalIgnoreCase))
            .ToHashSet(StringComparer.Ordinal);

        var claimed = new HashSet<string>(StringComparer.Ordinal);
        var owner = new string?[images.Count];
        for (int i = 0; i < images.Count; i++)
        {
            var label = Path.ChangeExtension(images[i], ".txt");
            if (!claimed.Add(label))
                builder.Skips.Skip(DisplayPath.Of(Path.Combine(imgPath, images[i])), SkipReasons.DuplicateImage,
                    $"another image already uses {label}", true);
            else owner[i] = label;
        }
        foreach (var orphan in labels.Where(l => !claimed.Contains(l)).Order(StringComparer.Ordinal))
            builder.Skips.Skip(DisplayPath.Of(Path.Combine(annPath, orphan)), SkipReasons.LabelWithoutImage,
                $"no image named {Path.ChangeExtension(orphan, null)}.* in {DisplayPath.Of(imgPath)}", true);

        var reader = new YoloPointsReader(builder, order, layout);
        var records = ParallelLoad.Run(images.Count, i =>
        {
            if (owner[i] is not { } label) return null;
            var shownImage = DisplayPath.Of(Path.Combine(imgPath, images[i]));
            bool hasLabel = labels.Contains(label);
            if (!hasLabel && !allowUnlabeled)
            {
                builder.Skips.Skip(shownImage, SkipReasons.ImageWithoutLabel, $"no {label} in {DisplayPath.Of(annPath)} (allow_unlabeled: true makes such images negatives)", true);
                return null;
            }
            if (!builder.TryImage(folder, images[i], null, shownImage, out var path, out int w, out int h)) return null;
            var labelFile = Path.Combine(annPath, label);
            var objects = hasLabel ? reader.ReadFile(labelFile, DisplayPath.Of(labelFile), w, h) : [];
            return new ImageRecord(i + 1, images[i], path, w, h, objects);
        }, $"reading {source} labels");
        return builder.Build(records, log);
    }
}
