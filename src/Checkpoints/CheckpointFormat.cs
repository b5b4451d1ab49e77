using System.Text.Json;
using NanoDet.Abstractions.Plugins;
using NanoDet.Checkpoints.Safetensors;
using NanoDet.Inference.Errors;

namespace NanoDet.Checkpoints;

/// <summary>
/// Our checkpoint format: a safetensors file whose <c>__metadata__</c> carries the keys below (all strings). Model
/// files (<c>model_best</c>, <c>model_last</c>, exported inference weights) and the resume file differ only in
/// <see cref="FormatKey"/> and in what else they carry. docs/checkpoints.md describes every key.
/// </summary>
public static class CheckpointFormat
{
    /// <summary>What the file is: <see cref="ModelFormat"/> or <see cref="ResumeFormat"/>.</summary>
    public const string FormatKey = "format";

    /// <summary>A model's weights with its configuration (training outputs and exported inference weights).</summary>
    public const string ModelFormat = "nanodet-4p";

    /// <summary>Everything a resumed run needs: model, EMA, optimizer and the training state.</summary>
    public const string ResumeFormat = "nanodet-4p-resume";

    /// <summary>The merged configuration the model was built from, as JSON.</summary>
    public const string ConfigKey = "config";

    /// <summary>The class names as a JSON list of strings.</summary>
    public const string ClassNamesKey = "class_names";

    /// <summary>The resume file's training state (JSON).</summary>
    public const string TrainingStateKey = "training_state";

    /// <summary>0-based epoch the weights come from.</summary>
    public const string EpochKey = "epoch";

    /// <summary>Which weights the file holds: <c>ema</c>, <c>raw</c>, <c>mixed</c> or <c>as stored</c>.</summary>
    public const string WeightsKey = "weights";

    /// <summary>The validation metrics of that epoch (JSON object), when there were any.</summary>
    public const string MetricsKey = "metrics";

    /// <summary>The network input the exported weights were made for, <c>WxH</c>.</summary>
    public const string InputSizeKey = "input_size";

    /// <summary>The file name the exported weights were converted from.</summary>
    public const string SourceKey = "source";

    /// <summary>
    /// The metadata of <paramref name="path"/> read from the header alone, or null when the file is not a safetensors
    /// file (a PyTorch checkpoint has none of these keys).
    /// </summary>
    public static IReadOnlyDictionary<string, string>? ReadMetadata(string path)
    {
        if (!File.Exists(path)) throw new InputDataException($"{path}: file not found");
        return SafetensorsFile.ReadMetadata(path);
    }

    /// <summary>The class names <paramref name="metadata"/> records, or null when it has none.</summary>
    public static IReadOnlyList<string>? ClassNames(IReadOnlyDictionary<string, string> metadata, string path)
    {
        if (!metadata.TryGetValue(ClassNamesKey, out var json)) return null;
        try
        {
            return JsonSerializer.Deserialize<string[]>(json)
                ?? throw new InputDataException($"{path}: metadata {ClassNamesKey} is null");
        }
        catch (JsonException e)
        {
            throw new InputDataException($"{path}: metadata {ClassNamesKey} is not a JSON list ({e.Message})", e);
        }
    }

    /// <summary>The metadata a model file starts with: format, configuration and class names.</summary>
    public static Dictionary<string, string> ModelMetadata(string configJson, IReadOnlyList<string> classNames) => new()
    {
        [FormatKey] = ModelFormat,
        [ConfigKey] = configJson,
        [ClassNamesKey] = JsonSerializer.Serialize(classNames),
    };
}
