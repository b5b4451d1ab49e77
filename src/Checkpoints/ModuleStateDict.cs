using TorchSharp;
using static TorchSharp.torch;

namespace NanoDet.Checkpoints;

/// <summary>
/// A module's state_dict in PyTorch's order: a module's own parameters, then its own persistent buffers, then each
/// child in registration order (TorchSharp's <c>state_dict()</c> lists all parameters before all buffers). Keys are
/// identical either way; the order only makes files diff-able against PyTorch's.
/// </summary>
public static class ModuleStateDict
{
    /// <summary>Every (key, tensor) pair; the tensors are the module's own (not copies).</summary>
    public static List<(string Key, Tensor Value)> Ordered(nn.Module module)
    {
        var list = new List<(string, Tensor)>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        Collect(module, "", list, seen);
        return list;
    }

    private static void Collect(nn.Module m, string prefix, List<(string, Tensor)> list, HashSet<string> seen)
    {
        // PyTorch registers a conv's weight before its bias; keep that order whatever TorchSharp's registration was.
        foreach (var (name, p) in m.named_parameters(recurse: false).OrderBy(p => p.name == "weight" ? 0 : 1))
            Add(prefix + name, p);
        foreach (var (name, b) in m.named_buffers(recurse: false, include_nonpersistent: false))
            Add(prefix + name, b);
        foreach (var (name, child) in m.named_children())
            Collect(child, $"{prefix}{name}.", list, seen);

        void Add(string key, Tensor t)
        {
            if (seen.Add(key)) list.Add((key, t));
        }
    }
}
