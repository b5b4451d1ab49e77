using NanoDet.Abstractions.Plugins;
using NanoDet.Inference.Errors;

namespace NanoDet.Host.Datasets;

/// <summary>The file formats the CLI names (<c>--from</c>, <c>--to</c>, <c>--format</c>) and the plugins that read/write them.</summary>
internal static class DatasetFormats
{
    public const string Xml = "xml";
    public const string Coco = "coco";
    public const string Txt = "txt";

    public static readonly IReadOnlyList<string> All = [Xml, Coco, Txt];

    /// <summary>Canonical format name; aliases voc, json, sjtu, yolo. Errors name <paramref name="option"/>.</summary>
    public static string Parse(string text, string option) => text.Trim().ToLowerInvariant() switch
    {
        "xml" or "voc" => Xml,
        "coco" or "json" => Coco,
        "txt" or "sjtu" or "yolo" or "yolo-pose" => Txt,
        _ => throw new ConfigurationException($"{option}: unknown format '{text}' (xml, coco, txt)"),
    };

    /// <summary>Dataset (and writer) plugin name of a format.</summary>
    public static string PluginName(string format) => format switch
    {
        Xml => "XMLDataset",
        Coco => "CocoDataset",
        _ => "YoloPointsDataset",
    };
}
