using NanoDet.Abstractions.Plugins;
using NanoDet.Checkpoints.PyTorch.Pickle;
using NanoDet.Inference.Errors;
using static TorchSharp.torch;

namespace NanoDet.Checkpoints.PyTorch;

/// <summary>
/// Reads official NanoDet / PyTorch checkpoints (<c>.pth</c>, Lightning <c>.ckpt</c>) without Python and without
/// running anything from the file. The format is recognised from the content, not the extension: torch.save's zip
/// format (PyTorch ≥ 1.6) is read; the legacy formats, TorchScript archives, bare pickles and safetensors files get
/// a one-line error that says what to do. The whole pickle (optimizer states, callbacks, ... included) is parsed with
/// a restricted unpickler (see docs/pytorch-import.md); a name outside its allow-list anywhere rejects the file.
/// Errors are <see cref="InputDataException"/> whose message starts with the path.
/// </summary>
internal static class CheckpointReader
{
    /// <summary>
    /// Reads the state dict of <paramref name="path"/>, preferring EMA weights as NanoDet does (docs/reference.md#weight-names-and-checkpoint-loading).
    /// Only the tensors of the resulting state dict are read from disk (a Lightning file's optimizer state and
    /// replaced raw weights are checked but never loaded).
    /// </summary>
    public static PyTorchCheckpoint Read(string path, CheckpointReadOptions? options = null)
    {
        options ??= CheckpointReadOptions.Default;
        using var archive = OpenArchive(path);
        var root = archive.LoadObjectGraph();
        var (entries, metadata) = StateDictRules.Apply(path, root, options.PreferEma);
        metadata = metadata with { FormatVersion = archive.FormatVersion, BigEndian = archive.BigEndian };

        using var scope = NewDisposeScope();
        var tensors = new TensorMaterializer(archive).MaterializeAll(entries.Select(e => e.Value).ToList());
        var stateDict = new OrderedDictionary<string, Tensor>(entries.Count, StringComparer.Ordinal);
        for (var i = 0; i < entries.Count; i++)
            stateDict.Add(entries[i].Key, tensors[i].MoveToOuterDisposeScope());
        return new PyTorchCheckpoint(stateDict, metadata);
    }

    /// <summary>
    /// The checkpoint's whole unpickled object (dicts, lists, numbers, strings; tensors as
    /// <see cref="TensorReference"/> descriptions, no data read). For inspection and tests.
    /// </summary>
    internal static object? ReadObjectGraph(string path)
    {
        using var archive = OpenArchive(path);
        return archive.LoadObjectGraph();
    }

    private static TorchZipArchive OpenArchive(string path)
    {
        if (!File.Exists(path))
            throw new InputDataException($"{path}: checkpoint file not found");
        CheckpointFileSniffer.EnsureZipCheckpoint(path);
        return TorchZipArchive.Open(path);
    }
}
