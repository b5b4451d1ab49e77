using System.Globalization;
using System.Numerics;
using NanoDet.Abstractions.Plugins;
using NanoDet.Checkpoints.PyTorch.Pickle;
using NanoDet.Inference.Errors;

namespace NanoDet.Checkpoints.PyTorch;

/// <summary>
/// Finds the state dict in an unpickled checkpoint and applies NanoDet's loading rule (docs/reference.md#weight-names-and-checkpoint-loading):
/// <list type="number">
/// <item>every <c>avg_model.X</c> (EMA) entry is renamed <c>model.X</c> and overwrites the raw entry in place
/// (a key without a raw counterpart is appended);</item>
/// <item>if the first key starts with <c>module.</c> that prefix is stripped, then likewise <c>model.</c>.</item>
/// </list>
/// Unlike the reference, which cuts the first 7/6 characters off every key blindly, only keys that carry the prefix
/// are renamed; a key without it keeps its name instead of being mangled.
/// </summary>
internal static class StateDictRules
{
    private const string EmaPrefix = "avg_model.";
    private const string RawPrefix = "model.";
    private static readonly string[] StrippablePrefixes = ["module.", "model."];

    /// <summary>The derived state dict (names → tensor references, in order) and what was found.</summary>
    public static (List<KeyValuePair<string, TensorReference>> Entries, CheckpointMetadata Metadata) Apply(
        string path, object? root, bool preferEma)
    {
        if (root is not PickleDict top)
            throw new InputDataException($"{path}: the checkpoint holds a {PickleDescribe.TypeName(root)}, not a dict; expected a state_dict or a Lightning checkpoint");

        var topKeys = top.Entries.Select(e => KeyText(e.Key)).ToList();
        CheckpointLayout layout;
        PickleDict stateDict;
        if (top.TryGetValue("state_dict", out var inner))
        {
            stateDict = inner as PickleDict
                ?? throw new InputDataException($"{path}: 'state_dict' is a {PickleDescribe.TypeName(inner)}, not a dict");
            layout = top.ContainsKey("pytorch-lightning_version") ? CheckpointLayout.Lightning
                : top.ContainsKey("epoch") || top.ContainsKey("iter") ? CheckpointLayout.LegacyNanoDet
                : CheckpointLayout.WrappedStateDict;
        }
        else if (top.Entries.Any(e => e.Value is TensorReference))
        {
            stateDict = top;
            layout = CheckpointLayout.StateDict;
        }
        else
        {
            throw new InputDataException(
                $"{path}: no 'state_dict' entry and no tensors at the top level (keys: {Preview(topKeys)}); expected a state_dict or a Lightning checkpoint");
        }

        var skipped = new List<string>();
        var raw = new List<KeyValuePair<string, TensorReference>>();
        foreach (var (key, value) in stateDict.Entries)
        {
            if (key is string name && value is TensorReference t) raw.Add(new(name, t));
            else skipped.Add(KeyText(key));
        }

        // Step 1: EMA entries overwrite raw ones in place (Python dict assignment keeps the key's position).
        var merged = new OrderedDictionary<string, TensorReference>(StringComparer.Ordinal);
        foreach (var (k, v) in raw)
            if (!k.StartsWith(EmaPrefix, StringComparison.Ordinal)) merged[k] = v;
        var emaKeys = new HashSet<string>(StringComparer.Ordinal);
        if (preferEma)
        {
            foreach (var (k, v) in raw)
            {
                if (!k.StartsWith(EmaPrefix, StringComparison.Ordinal)) continue;
                var target = RawPrefix + k[EmaPrefix.Length..];
                merged[target] = v;
                emaKeys.Add(target);
            }
        }
        var rawRemaining = merged.Keys.Count(k => k.StartsWith(RawPrefix, StringComparison.Ordinal) && !emaKeys.Contains(k));
        var hadEma = raw.Any(e => e.Key.StartsWith(EmaPrefix, StringComparison.Ordinal));

        // Step 2: strip module. then model. when the first key carries them.
        var entries = merged.ToList();
        var stripped = new List<string>();
        foreach (var prefix in StrippablePrefixes)
        {
            if (entries.Count == 0 || !entries[0].Key.StartsWith(prefix, StringComparison.Ordinal)) continue;
            stripped.Add(prefix);
            var renamed = new OrderedDictionary<string, TensorReference>(StringComparer.Ordinal);
            foreach (var (k, v) in entries)
                renamed[k.StartsWith(prefix, StringComparison.Ordinal) ? k[prefix.Length..] : k] = v;
            entries = renamed.ToList();
        }

        var weights = emaKeys.Count > 0
            ? rawRemaining > 0 ? CheckpointWeights.Mixed : CheckpointWeights.Ema
            : layout is CheckpointLayout.Lightning or CheckpointLayout.LegacyNanoDet || hadEma
                ? CheckpointWeights.Raw
                : CheckpointWeights.AsStored;

        var metadata = new CheckpointMetadata
        {
            Path = path,
            Layout = layout,
            Weights = weights,
            Epoch = layout is CheckpointLayout.Lightning or CheckpointLayout.LegacyNanoDet ? Integer(top, "epoch") : null,
            GlobalStep = layout switch
            {
                CheckpointLayout.Lightning => Integer(top, "global_step"),
                CheckpointLayout.LegacyNanoDet => Integer(top, "iter"),
                _ => null,
            },
            LightningVersion = top.TryGetValue("pytorch-lightning_version", out var version) ? version as string : null,
            StrippedPrefixes = stripped,
            EmaEntries = emaKeys.Count,
            RawEntries = rawRemaining,
            SkippedEntries = skipped,
            TopLevelKeys = topKeys,
            TensorCount = entries.Count,
        };
        return (entries, metadata);
    }

    private static long? Integer(PickleDict dict, string key) =>
        dict.TryGetValue(key, out var v) && v is long l ? l : null;

    private static string KeyText(object? key) => key switch
    {
        null => "None",
        string s => s,
        long or BigInteger or double or bool => Convert.ToString(key, CultureInfo.InvariantCulture)!,
        _ => $"<{PickleDescribe.TypeName(key)} key>",
    };

    private static string Preview(List<string> keys) =>
        keys.Count == 0 ? "none" : string.Join(", ", keys.Take(8)) + (keys.Count > 8 ? ", ..." : "");
}
