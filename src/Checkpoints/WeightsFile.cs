using NanoDet.Checkpoints.Safetensors;
using TorchSharp;
using static TorchSharp.torch;

namespace NanoDet.Checkpoints;

/// <summary>
/// Module weights as safetensors files whose tensor names are the NanoDet/PyTorch state_dict keys, so files move
/// both ways between this product and PyTorch (<c>load_state_dict</c> after <c>safetensors.torch.load_file</c>).
/// </summary>
public static class WeightsFile
{
    /// <summary>
    /// Writes <paramref name="module"/>'s state_dict (PyTorch order) with <paramref name="metadata"/> as
    /// <c>__metadata__</c>; <paramref name="include"/> filters keys (e.g. drop training-only aux weights).
    /// </summary>
    public static void Save(nn.Module module, string path, IReadOnlyDictionary<string, string>? metadata = null,
        Func<string, bool>? include = null)
    {
        var tensors = ModuleStateDict.Ordered(module)
            .Where(e => include is null || include(e.Key))
            .Select(e => SafetensorsTensor.FromTensor(e.Key, e.Value))
            .ToList();
        new SafetensorsFile(tensors, metadata).Write(path);
    }

    /// <summary>
    /// Reads a safetensors file as (key, CPU tensor) pairs in file order, with its metadata. With
    /// <paramref name="normalizeKeys"/> NanoDet's checkpoint prefixes are resolved (<see cref="CheckpointKeys"/>).
    /// The caller owns (disposes) the tensors.
    /// </summary>
    public static (List<(string Key, Tensor Value)> Entries, IReadOnlyDictionary<string, string> Metadata) Read(
        string path, bool normalizeKeys = true)
    {
        var file = SafetensorsFile.Read(path);
        var entries = file.Tensors.Select(t => (t.Name, t.ToTensor(path))).ToList();
        if (normalizeKeys) entries = CheckpointKeys.Normalize(entries);
        return (entries, file.Metadata);
    }

    /// <summary>Reads <paramref name="path"/> and loads it strictly into <paramref name="module"/> (see <see cref="StateDictLoader.LoadStrict"/>).</summary>
    public static LoadReport LoadStrict(nn.Module module, string path, Func<string, bool>? optional = null)
    {
        using var scope = NewDisposeScope();
        var (entries, _) = Read(path);
        return StateDictLoader.LoadStrict(module, entries, path, optional);
    }

    /// <summary>Reads <paramref name="path"/> and loads every entry whose name and shape match (see <see cref="StateDictLoader.LoadPartial"/>).</summary>
    public static LoadReport LoadPartial(nn.Module module, string path)
    {
        using var scope = NewDisposeScope();
        var (entries, _) = Read(path);
        return StateDictLoader.LoadPartial(module, entries, path);
    }
}
