using NanoDet.Abstractions.Data;
using NanoDet.Abstractions.Plugins;
using NanoDet.Datasets.Common;
using NanoDet.Inference.Errors;
using NanoDet.Inference.Geometry;

namespace NanoDet.Datasets.Xml;

/// <summary>Writer plugin for the format <c>XMLDataset</c> reads.</summary>
[NanoDetPlugin(PluginKind.DatasetWriter, "XMLDataset", Description = "VOC XML with <points>, one file per image")]
public sealed class XmlDatasetWriter : PluginFactory<WriterOptions, IDatasetWriter>
{
    public override IDatasetWriter Create(WriterOptions options, PluginContext context) =>
        new XmlAnnotationWriter(PointOrder.FromSection(context.Section));
}
