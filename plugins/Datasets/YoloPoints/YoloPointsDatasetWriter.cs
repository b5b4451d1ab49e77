using NanoDet.Abstractions.Data;
using NanoDet.Abstractions.Plugins;
using NanoDet.Datasets.Common;
using NanoDet.Inference.Errors;
using NanoDet.Inference.Geometry;

namespace NanoDet.Datasets.YoloPoints;

/// <summary>Writer plugin for the format <c>YoloPointsDataset</c> reads.</summary>
[NanoDetPlugin(PluginKind.DatasetWriter, "YoloPointsDataset", Description = "one .txt per image: SJTU (default) or YOLO-pose lines")]
public sealed class YoloPointsDatasetWriter : PluginFactory<YoloPointsWriterOptions, IDatasetWriter>
{
    public override IDatasetWriter Create(YoloPointsWriterOptions options, PluginContext context) =>
        new YoloPointsWriter(PointOrder.FromSection(context.Section), YoloPointsDatasetOptions.ParseLayout(options.Layout));
}
