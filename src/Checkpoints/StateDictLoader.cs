using NanoDet.Abstractions.Plugins;
using NanoDet.Inference.Errors;
using TorchSharp;
using static TorchSharp.torch;

namespace NanoDet.Checkpoints;

/// <summary>
/// Copies named tensors into a TorchSharp module's parameters and buffers (BatchNorm running statistics,
/// <c>num_batches_tracked</c>, the integral's <c>project</c>), converting dtypes where they differ.
/// </summary>
public static class StateDictLoader
{
    /// <summary>
    /// Strict load: every model entry must be present with its shape, and nothing else may be in the source, except
    /// keys <paramref name="optional"/> accepts (e.g. training-only aux weights absent from an inference file). Any
    /// problem throws one <see cref="InputDataException"/> naming <paramref name="source"/> and listing the keys; the
    /// module is left untouched in that case.
    /// </summary>
    public static LoadReport LoadStrict(nn.Module module, IReadOnlyList<(string Key, Tensor Value)> entries, string source,
        Func<string, bool>? optional = null)
    {
        var report = Plan(module, entries, source, out var pairs);
        var missing = report.Missing.Where(k => optional is null || !optional(k)).ToList();
        if (missing.Count > 0 || report.Unexpected.Count > 0 || report.Mismatched.Count > 0)
        {
            var problems = report with { Missing = missing };
            throw new InputDataException($"{source}: weights do not match the model ({problems.Summary()})");
        }
        Copy(pairs);
        return report;
    }

    /// <summary>
    /// Partial load (NanoDet's non-strict rule, docs/reference.md#weight-names-and-checkpoint-loading step 3): entries with matching names and shapes are copied;
    /// shape mismatches are skipped (the model keeps its initial values), unknown file entries are dropped, missing
    /// ones keep their initial values. Everything is reported.
    /// </summary>
    public static LoadReport LoadPartial(nn.Module module, IReadOnlyList<(string Key, Tensor Value)> entries, string source = "weights")
    {
        var report = Plan(module, entries, source, out var pairs);
        Copy(pairs);
        return report;
    }

    private static LoadReport Plan(nn.Module module, IReadOnlyList<(string Key, Tensor Value)> entries, string source,
        out List<(Tensor Target, Tensor Source)> pairs)
    {
        var target = ModuleStateDict.Ordered(module);
        var byKey = target.ToDictionary(e => e.Key, e => e.Value, StringComparer.Ordinal);
        var sourceKeys = new HashSet<string>(StringComparer.Ordinal);
        var loaded = new List<string>();
        var unexpected = new List<string>();
        var mismatched = new List<ShapeMismatch>();
        pairs = [];
        foreach (var (key, value) in entries)
        {
            if (!sourceKeys.Add(key)) throw new InputDataException($"{source}: duplicate weight name '{key}'");
            if (!byKey.TryGetValue(key, out var t))
            {
                unexpected.Add(key);
                continue;
            }
            if (!t.shape.SequenceEqual(value.shape))
            {
                mismatched.Add(new ShapeMismatch(key, t.shape, value.shape));
                continue;
            }
            loaded.Add(key);
            pairs.Add((t, value));
        }
        var missing = target.Select(e => e.Key).Where(k => !sourceKeys.Contains(k)).ToList();
        return new LoadReport(loaded, missing, unexpected, mismatched);
    }

    private static void Copy(List<(Tensor Target, Tensor Source)> pairs)
    {
        using var _ = no_grad();
        foreach (var (t, s) in pairs) t.copy_(s);
    }
}
