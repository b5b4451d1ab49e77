using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging;
using NanoDet.Abstractions.Model;
using NanoDet.Abstractions.Plugins;
using NanoDet.Checkpoints;
using NanoDet.Host.Model;
using NanoDet.Inference.Detections;
using NanoDet.Inference.Errors;
using NanoDet.Inference.Geometry;
using TorchSharp;
using static TorchSharp.torch;

namespace NanoDet.Host.Inference;

/// <summary>
/// Loads a detector for inference from a weights file: the architecture from the configuration (a checkpoint of
/// this tool carries its own, layered in by the verb; a PyTorch file needs <c>--config</c>), then the weights
/// strictly — every inference entry must be present with its shape; training-only aux weights may be absent.
/// </summary>
internal static class DetectorCheckpoint
{
    /// <returns>The model in eval mode on <paramref name="device"/>.</returns>
    public static DetectorModule Load(string path, IConfiguration config, IPluginResolver resolver, Device device, ILogger log)
    {
        var model = DetectorBuilder.Build(config, resolver);
        using (var scope = NewDisposeScope())
        {
            var (entries, description, _, _) = WeightsReader.Read(path);
            var report = StateDictLoader.LoadStrict(model, entries, path, model.IsTrainingOnly);
            int absentTrainingOnly = report.Missing.Count(model.IsTrainingOnly);
            log.LogInformation("weights {Path} ({Description}): {Loaded} entries loaded{Aux}", path, description, report.Loaded.Count,
                absentTrainingOnly > 0 ? $" (no training-only aux weights in the file: {absentTrainingOnly} entries, not needed for inference)" : "");
        }
        model.to(device);
        model.eval();
        return model;
    }
}
