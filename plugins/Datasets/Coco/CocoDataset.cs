using Microsoft.Extensions.Logging;
using NanoDet.Abstractions.Data;
using NanoDet.Abstractions.Plugins;
using NanoDet.Datasets.Common;
using NanoDet.Inference.Errors;
using NanoDet.Inference.Geometry;

namespace NanoDet.Datasets.Coco;

/// <summary>COCO JSON with <c>points</c> (or <c>keypoints</c>) per annotation (NanoDet's <c>CocoDataset</c>).</summary>
[NanoDetPlugin(PluginKind.Dataset, "CocoDataset", Description = "COCO JSON with \"points\" (or \"keypoints\") per annotation")]
public sealed class CocoDataset : PluginFactory<CocoDatasetOptions, IDetectionDataset>
{
    public override IDetectionDataset Create(CocoDatasetOptions options, PluginContext context)
    {
        var section = context.Section;
        var imgPath = DatasetOptions.RequirePath(options.ImgPath, section, DatasetKeys.ImagePath);
        var annPath = DatasetOptions.RequirePath(options.AnnPath, section, DatasetKeys.AnnotationPath);
        if (!File.Exists(annPath))
            throw new ConfigurationException($"{section.Path}:ann_path: file not found: {annPath}");
        if (!Directory.Exists(imgPath))
            throw new ConfigurationException($"{section.Path}:img_path: folder not found: {imgPath}");
        return Load(section.Key, imgPath, annPath, options.ClassNames, PointOrder.FromSection(section), options.Rules, options.Strict,
            context.Loggers.CreateLogger("NanoDet.Datasets.CocoDataset"));
    }

    /// <summary>Loads a COCO file (also used by the synthetic dataset, tests and conversions).</summary>
    public static LoadedDataset Load(string source, string imgPath, string annFile, IReadOnlyList<string>? classNames, PointOrder order,
        ObjectRules rules, bool strict, ILogger log)
    {
        var shown = DisplayPath.Of(annFile);
        var doc = CocoAnnotationReader.Parse(annFile);
        var categories = CocoAnnotationReader.Categories(doc, shown);
        var classes = CocoAnnotationReader.ClassTable(categories, classNames, shown);
        var builder = new DatasetBuilder(source, classes, rules, new SkipLog(strict));
        var records = CocoAnnotationReader.Read(doc, shown, builder, new ImageFolder(imgPath), order, categories);
        return builder.Build(records, log);
    }
}
