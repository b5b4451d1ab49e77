using System.Globalization;
using System.Text.Json;
using Microsoft.Extensions.Configuration;
using NanoDet.Abstractions.Model;
using NanoDet.Checkpoints;
using NanoDet.Host.Configuration;
using NanoDet.Inference.Detections;
using NanoDet.Inference.Errors;
using NanoDet.Inference.Geometry;
using static TorchSharp.torch;

namespace NanoDet.Host.Export;

/// <summary>
/// <c>nanodet export --format safetensors</c>: inference weights (backbone, fpn, head; the aux branch dropped) of a
/// checkpoint of this tool or of a PyTorch .pth/.ckpt (EMA weights preferred, as NanoDet loads them), loaded strictly
/// into the configured architecture so a file that does not fit is refused, written as a self-describing safetensors
/// file (config, class names, input size, which weights) that predict, eval and export accept as a checkpoint.
/// </summary>
internal static class InferenceWeightsExporter
{
    /// <summary>Which weights of the source went into the file: <c>ema</c>, <c>raw</c>, <c>mixed</c> or <c>as stored</c>.</summary>
    public sealed record Result(string Weights, string SourceDescription, int Tensors, string Load);

    public static Result Export(DetectorModule model, string source, IConfiguration config, IReadOnlyList<string> classNames,
        (int Width, int Height) inputSize, string output)
    {
        using var scope = NewDisposeScope();
        var (entries, description, weights, epoch) = WeightsReader.Read(source);
        var report = StateDictLoader.LoadStrict(model, entries, source, model.IsTrainingOnly);

        var metadata = CheckpointFormat.ModelMetadata(ConfigJson.FromConfiguration(config, "Serilog"), classNames);
        metadata[CheckpointFormat.InputSizeKey] = $"{inputSize.Width}x{inputSize.Height}";
        metadata[CheckpointFormat.WeightsKey] = weights;
        metadata[CheckpointFormat.SourceKey] = Path.GetFileName(source);
        if (epoch is not null) metadata[CheckpointFormat.EpochKey] = epoch;
        var tmp = output + ".tmp";
        WeightsFile.Save(model, tmp, metadata, include: k => !model.IsTrainingOnly(k));
        File.Move(tmp, output, overwrite: true);
        int count = ModuleStateDict.Ordered(model).Count(e => !model.IsTrainingOnly(e.Key));
        return new Result(weights, description, count, report.Summary());
    }
}
