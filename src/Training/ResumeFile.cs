using System.Text.Json;
using NanoDet.Abstractions.Model;
using NanoDet.Abstractions.Plugins;
using NanoDet.Checkpoints;
using NanoDet.Checkpoints.Safetensors;
using NanoDet.Inference.Detections;
using NanoDet.Inference.Errors;
using NanoDet.Inference.Geometry;
using TorchSharp;
using static TorchSharp.torch;

namespace NanoDet.Training;

/// <summary>Reads a resume file written by <see cref="CheckpointStore.SaveResume"/> and restores a run from it.</summary>
public sealed class ResumeFile
{
    private readonly SafetensorsFile _file;

    private ResumeFile(string path, SafetensorsFile file, TrainingState state, string configJson)
    {
        Path = path;
        _file = file;
        State = state;
        ConfigJson = configJson;
    }

    public string Path { get; }
    public TrainingState State { get; }

    /// <summary>The merged config the run was started with (JSON), the base of the resumed run's config.</summary>
    public string ConfigJson { get; }

    public static ResumeFile Read(string path)
    {
        if (!File.Exists(path)) throw new InputDataException($"{path}: resume file not found");
        var file = SafetensorsFile.Read(path);
        if (!file.Metadata.TryGetValue(CheckpointFormat.FormatKey, out var f) || f != CheckpointFormat.ResumeFormat)
            throw new InputDataException($"{path}: not a resume file of this tool (use the resume_last.safetensors of a save_dir)");
        var state = JsonSerializer.Deserialize<TrainingState>(file.Metadata[CheckpointFormat.TrainingStateKey], TrainingJson.Options)
            ?? throw new InputDataException($"{path}: training state is empty");
        return new ResumeFile(path, file, state, file.Metadata[CheckpointFormat.ConfigKey]);
    }

    /// <summary>Loads raw weights (strict), EMA state and optimizer state.</summary>
    public void Restore(DetectorModule model, ExpMovingAverager ema, TorchSharp.Modules.OptimizerHelper optimizer, Device device)
    {
        using var scope = NewDisposeScope();
        var model_ = _file.Tensors.Where(t => t.Name.StartsWith("model.", StringComparison.Ordinal))
            .Select(t => (t.Name["model.".Length..], t.ToTensor(Path))).ToList();
        StateDictLoader.LoadStrict(model, model_, Path);
        var emaState = _file.Tensors.Where(t => t.Name.StartsWith("ema.", StringComparison.Ordinal))
            .ToDictionary(t => t.Name["ema.".Length..], t => t.ToTensor(Path).to(device));
        ema.ImportState(emaState, model);
        var opt = _file.Tensors.FirstOrDefault(t => t.Name == "optimizer")
            ?? throw new InputDataException($"{Path}: optimizer state missing");
        using var ms = new MemoryStream(opt.Data);
        using var r = new BinaryReader(ms);
        optimizer.load_state_dict(r);
    }
}
