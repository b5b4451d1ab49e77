using System.Globalization;
using System.Text.Json;
using NanoDet.Abstractions.Model;
using NanoDet.Checkpoints;
using NanoDet.Checkpoints.Safetensors;
using NanoDet.Compute.Kernels;
using NanoDet.Compute.Runtime;
using NanoDet.Inference.Detections;
using NanoDet.Inference.Errors;
using NanoDet.Inference.Geometry;
using TorchSharp;
using static TorchSharp.torch;

namespace NanoDet.Training;

/// <summary>
/// The files a training run leaves in <c>save_dir</c>, all written atomically (temp file + rename):
/// <list type="bullet">
/// <item><c>model_last.safetensors</c>: EMA weights after the last epoch, self-describing (config, class names,
/// input size, epoch, metrics in <c>__metadata__</c>) for predict/eval/export;</item>
/// <item><c>model_best/model_best.safetensors</c> and <c>model_best/eval_results.txt</c>: the best validation by
/// the evaluator's save key, as NanoDet;</item>
/// <item><c>resume_last.safetensors</c>: raw weights, EMA state, optimizer state and <see cref="TrainingState"/>,
/// enough to continue bit for bit.</item>
/// </list>
/// </summary>
public sealed class CheckpointStore(string saveDir, string configJson, IReadOnlyList<string> classNames)
{

    public string SaveDir { get; } = saveDir;

    /// <summary>
    /// Clears temporary files a killed run left behind (in save_dir and model_best); the files they were meant to
    /// replace are intact, because every write is atomic. Returns how many were removed.
    /// </summary>
    public int RemoveStaleTemporaryFiles() =>
        AtomicFile.RemoveStale(SaveDir) + AtomicFile.RemoveStale(Path.Combine(SaveDir, "model_best"));
    public string LastWeightsPath => Path.Combine(SaveDir, "model_last.safetensors");
    public string BestWeightsPath => Path.Combine(SaveDir, "model_best", "model_best.safetensors");
    public string ResumePath => Path.Combine(SaveDir, "resume_last.safetensors");

    /// <summary>Writes the EMA weights of <paramref name="evalModel"/> as a self-describing inference checkpoint.</summary>
    public void SaveWeights(string path, DetectorModule evalModel, int epoch, IReadOnlyDictionary<string, double>? metrics)
    {
        var meta = CheckpointFormat.ModelMetadata(configJson, classNames);
        meta[CheckpointFormat.EpochKey] = epoch.ToString(CultureInfo.InvariantCulture);
        meta[CheckpointFormat.WeightsKey] = "ema";
        if (metrics is not null) meta[CheckpointFormat.MetricsKey] = JsonSerializer.Serialize(metrics, TrainingJson.Options);
        WeightsFile.Save(evalModel, path, meta);
    }

    /// <summary>Appends a validation result to <c>model_best/eval_results.txt</c> (NanoDet's format: epoch, then key: value lines).</summary>
    public void AppendBestResults(int epoch, IReadOnlyDictionary<string, double> metrics)
    {
        var path = Path.Combine(SaveDir, "model_best", "eval_results.txt");
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        var header = $"Epoch:{epoch + 1}";
        var lines = new List<string> { header };
        lines.AddRange(metrics.Select(kv => $"{kv.Key}: {kv.Value.ToString("0.######", CultureInfo.InvariantCulture)}"));
        lines.Add("");
        var previous = File.Exists(path) ? File.ReadAllText(path) : "";
        // A run killed after this write but before its resume state repeats the epoch: keep one block per epoch.
        var blocks = previous.Split("\n\n", StringSplitOptions.RemoveEmptyEntries)
            .Where(b => b.Trim().Length > 0 && b.TrimStart().Split('\n')[0] != header)
            .Select(b => b.Trim('\n') + "\n\n");
        AtomicFile.WriteAllText(path, string.Concat(blocks) + string.Join('\n', lines) + "\n");
    }

    /// <summary>Writes the resume state: <c>model.*</c> raw weights, <c>ema.*</c>, the optimizer as bytes, and the state JSON.</summary>
    public void SaveResume(DetectorModule model, ExpMovingAverager ema, TorchSharp.Modules.OptimizerHelper optimizer, TrainingState state)
    {
        using var scope = NewDisposeScope();
        var tensors = new List<SafetensorsTensor>();
        foreach (var (k, v) in ModuleStateDict.Ordered(model)) tensors.Add(SafetensorsTensor.FromTensor("model." + k, v));
        foreach (var (k, v) in ema.ExportState(CPU)) tensors.Add(SafetensorsTensor.FromTensor("ema." + k, v));
        using (var ms = new MemoryStream())
        {
            using (var w = new BinaryWriter(ms, System.Text.Encoding.UTF8, leaveOpen: true)) optimizer.save_state_dict(w);
            tensors.Add(new SafetensorsTensor("optimizer", SafetensorsDType.U8, [ms.Length], ms.ToArray()));
        }
        // The kernels this run used (and any pinned from an earlier part of it), so a resume computes the same way.
        var kernels = new Dictionary<string, string>(state.ConvKernels ?? [], StringComparer.Ordinal);
        foreach (var (key, kernel) in ConvKernelSelector.Shared.Snapshot()) kernels[key] = kernel;
        state.ConvKernels = kernels;
        var meta = CheckpointFormat.ModelMetadata(configJson, classNames);
        meta[CheckpointFormat.FormatKey] = CheckpointFormat.ResumeFormat;
        meta[CheckpointFormat.TrainingStateKey] = JsonSerializer.Serialize(state, TrainingJson.Options);
        new SafetensorsFile(tensors, meta).Write(ResumePath);
    }
}
