using Microsoft.Extensions.Logging;
using NanoDet.Abstractions.Data;
using NanoDet.Abstractions.Plugins;
using NanoDet.Datasets.Common;
using NanoDet.Inference.Errors;
using NanoDet.Inference.Geometry;

namespace NanoDet.Datasets.Xml;

/// <summary>VOC XML with <c>&lt;points&gt;</c> (NanoDet's <c>XMLDataset</c>, four-point form of the seed).</summary>
[NanoDetPlugin(PluginKind.Dataset, "XMLDataset", Description = "VOC XML folder with <points> corners (TL, BL, BR, TR)")]
public sealed class XmlDataset : PluginFactory<XmlDatasetOptions, IDetectionDataset>
{
    public override IDetectionDataset Create(XmlDatasetOptions options, PluginContext context)
    {
        var section = context.Section;
        var imgPath = DatasetOptions.RequirePath(options.ImgPath, section, DatasetKeys.ImagePath);
        var annPath = DatasetOptions.RequirePath(options.AnnPath, section, DatasetKeys.AnnotationPath);
        if (!Directory.Exists(annPath))
            throw new ConfigurationException($"{section.Path}:ann_path: folder not found: {annPath}");
        if (!Directory.Exists(imgPath))
            throw new ConfigurationException($"{section.Path}:img_path: folder not found: {imgPath}");
        var order = PointOrder.FromSection(section);
        var log = context.Loggers.CreateLogger("NanoDet.Datasets.XMLDataset");
        return Load(section.Key, imgPath, annPath, ClassTable.FromNames(options.ClassNamesOrDefault), order, options.Rules,
            options.Strict, options.DifficultAsCrowd, log);
    }

    /// <summary>Loads an XML folder (also used by tests and conversions).</summary>
    public static LoadedDataset Load(string source, string imgPath, string annPath, ClassTable classes, PointOrder order,
        ObjectRules rules, bool strict, bool difficultAsCrowd, ILogger log)
    {
        var builder = new DatasetBuilder(source, classes, rules, new SkipLog(strict));
        var reader = new XmlAnnotationReader(builder, new ImageFolder(imgPath), order, difficultAsCrowd);
        var files = XmlAnnotationReader.ListFiles(annPath);
        var records = ParallelLoad.Run(files.Count, i =>
        {
            var full = Path.Combine(annPath, files[i]);
            return reader.Read(full, DisplayPath.Of(full), i + 1);
        }, $"reading {source} annotations");
        return builder.Build(records, log);
    }
}
