namespace NanoDet.Checkpoints;

/// <summary>
/// NanoDet's checkpoint key rule (docs/reference.md#weight-names-and-checkpoint-loading): every <c>avg_model.</c> entry (the EMA weights) is renamed to
/// <c>model.</c> and overwrites the raw entry of that name; then a leading <c>module.</c> (DataParallel) is stripped
/// when the first key has it, then a leading <c>model.</c> (Lightning) likewise.
/// </summary>
internal static class CheckpointKeys
{
    /// <summary>The normalised entries, in their original order (an EMA entry takes the place of its raw twin).</summary>
    public static List<(string Key, T Value)> Normalize<T>(IReadOnlyList<(string Key, T Value)> entries)
    {
        var emaKeys = entries.Where(e => e.Key.StartsWith("avg_model.", StringComparison.Ordinal))
            .Select(e => e.Key[4..]).ToHashSet(StringComparer.Ordinal);
        var keys = new List<string>(entries.Count);
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var values = new Dictionary<string, T>(StringComparer.Ordinal);
        foreach (var (key, value) in entries)
        {
            bool isEma = key.StartsWith("avg_model.", StringComparison.Ordinal);
            var k = isEma ? key[4..] : key;
            if (seen.Add(k)) keys.Add(k);
            // The EMA copy wins over the raw entry, whichever comes first in the file.
            if (isEma || !emaKeys.Contains(k)) values[k] = value;
        }
        var result = keys.Select(k => (k, values[k])).ToList();
        result = StripIfFirst(result, "module.");
        return StripIfFirst(result, "model.");
    }

    private static List<(string, T)> StripIfFirst<T>(List<(string Key, T Value)> entries, string prefix)
    {
        if (entries.Count == 0 || !entries[0].Key.StartsWith(prefix, StringComparison.Ordinal)) return entries;
        return entries.Select(e => (e.Key.StartsWith(prefix, StringComparison.Ordinal) ? e.Key[prefix.Length..] : e.Key, e.Value)).ToList();
    }
}
