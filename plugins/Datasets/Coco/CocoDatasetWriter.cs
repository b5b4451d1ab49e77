using NanoDet.Abstractions.Data;
using NanoDet.Abstractions.Plugins;
using NanoDet.Datasets.Common;
using NanoDet.Inference.Errors;
using NanoDet.Inference.Geometry;

namespace NanoDet.Datasets.Coco;

/// <summary>Writer plugin for the format <c>CocoDataset</c> reads.</summary>
[NanoDetPlugin(PluginKind.DatasetWriter, "CocoDataset", Description = "COCO JSON with \"points\", one file")]
public sealed class CocoDatasetWriter : PluginFactory<WriterOptions, IDatasetWriter>
{
    public override IDatasetWriter Create(WriterOptions options, PluginContext context) =>
        new CocoAnnotationWriter(PointOrder.FromSection(context.Section));
}
