using System.Globalization;
using System.Text.Json;
using Microsoft.Extensions.Configuration;
using NanoDet.Abstractions.Data;
using NanoDet.Abstractions.Model;
using NanoDet.Export;
using NanoDet.Host.Inference;
using NanoDet.Inference.Detections;
using NanoDet.Inference.Errors;
using NanoDet.Inference.Geometry;
using NanoDet.Inference.Onnx;

namespace NanoDet.Host.Export;

/// <summary>
/// Exports a loaded detector to an .onnx file with the metadata a deployment needs beside the graph: class names,
/// the normalisation (mean/std per BGR channel) and keep_ratio of the pipeline that feeds it, and where the weights
/// came from.
/// </summary>
internal static class OnnxModelFile
{
    /// <param name="model">The loaded detector.</param>
    /// <param name="config">The merged configuration (class names).</param>
    /// <param name="pipeline">The validation pipeline (normalisation and keep_ratio), or null when none is configured.</param>
    /// <param name="checkpoint">Where the weights came from.</param>
    /// <param name="options">Input size, opset, decode.</param>
    /// <param name="path">The .onnx file to write.</param>
    public static OnnxExportResult Write(DetectorModule model, IConfiguration config, ISamplePipeline? pipeline, string checkpoint,
        OnnxExportOptions options, string path)
    {
        var meta = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            [OnnxMetadataKeys.ClassNames] = JsonSerializer.Serialize(ModelInfo.ClassNames(config, checkpoint, model.Layout.NumClasses)),
            [OnnxMetadataKeys.Source] = Path.GetFileName(checkpoint),
        };
        if (pipeline is not null)
        {
            meta[OnnxMetadataKeys.MeanBgr] = string.Join(",", pipeline.Normalization.Mean.Select(v => v.ToString(CultureInfo.InvariantCulture)));
            meta[OnnxMetadataKeys.StdBgr] = string.Join(",", pipeline.Normalization.Std.Select(v => v.ToString(CultureInfo.InvariantCulture)));
            meta[OnnxMetadataKeys.KeepRatio] = pipeline.Input.KeepRatio ? "true" : "false";
        }
        var result = OnnxExporter.Export(model, options, meta);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        OnnxExporter.Write(result, path);
        return result;
    }
}
