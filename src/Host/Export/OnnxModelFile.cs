using NanoDet.Export;
using NanoDet.Inference.Detections;
using NanoDet.Inference.Geometry;
using NanoDet.Inference.Onnx;
using System.Globalization;
using System.Text.Json;
using Microsoft.Extensions.Configuration;
using NanoDet.Abstractions.Model;
using NanoDet.Host.Inference;

namespace NanoDet.Host.Export;

/// <summary>
/// Exports a loaded detector to an .onnx file with the metadata a deployment needs beside the graph: class names,
/// the normalisation (mean/std per BGR channel), keep_ratio, and where the weights came from.
/// </summary>
internal static class OnnxModelFile
{
    public static OnnxExportResult Write(DetectorModule model, IConfiguration config, string checkpoint, OnnxExportOptions options, string path)
    {
        var meta = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            [OnnxMetadataKeys.ClassNames] = JsonSerializer.Serialize(ModelInfo.ClassNames(config, checkpoint, model.Layout.NumClasses)),
            [OnnxMetadataKeys.Source] = Path.GetFileName(checkpoint),
        };
        var normalize = config.GetSection("data:val:pipeline:normalize").GetChildren()
            .Select(row => row.GetChildren().Select(v => v.Value).ToArray()).ToArray();
        if (normalize.Length == 2)
        {
            meta[OnnxMetadataKeys.MeanBgr] = string.Join(",", normalize[0]);
            meta[OnnxMetadataKeys.StdBgr] = string.Join(",", normalize[1]);
        }
        if (config["data:val:keep_ratio"] is { } keep) meta[OnnxMetadataKeys.KeepRatio] = keep.ToLower(CultureInfo.InvariantCulture);
        var result = OnnxExporter.Export(model, options, meta);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        OnnxExporter.Write(result, path);
        return result;
    }
}
