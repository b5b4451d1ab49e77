namespace NanoDet.Training;

/// <summary>Running means of named loss terms over an epoch (and over the current log interval).</summary>
public sealed class LossMeter
{
    private readonly Dictionary<string, (double Sum, int Count)> _epoch = [];
    private readonly Dictionary<string, (double Sum, int Count)> _interval = [];

    public void Add(IReadOnlyDictionary<string, float> terms, float total)
    {
        Add("loss", total);
        foreach (var (k, v) in terms) Add(k, v);
    }

    private void Add(string key, double v)
    {
        _epoch[key] = _epoch.TryGetValue(key, out var e) ? (e.Sum + v, e.Count + 1) : (v, 1);
        _interval[key] = _interval.TryGetValue(key, out var i) ? (i.Sum + v, i.Count + 1) : (v, 1);
    }

    public Dictionary<string, double> EpochMeans() => _epoch.ToDictionary(kv => kv.Key, kv => kv.Value.Sum / kv.Value.Count);

    /// <summary>Means since the last call, then resets the interval.</summary>
    public Dictionary<string, double> TakeIntervalMeans()
    {
        var r = _interval.ToDictionary(kv => kv.Key, kv => kv.Value.Sum / kv.Value.Count);
        _interval.Clear();
        return r;
    }

    /// <summary>The epoch's sums and counts, for a resume in the middle of an epoch.</summary>
    public Dictionary<string, double[]> Snapshot() => _epoch.ToDictionary(kv => kv.Key, kv => new[] { kv.Value.Sum, kv.Value.Count });

    public void Restore(IReadOnlyDictionary<string, double[]>? snapshot)
    {
        _epoch.Clear();
        _interval.Clear();
        if (snapshot is null) return;
        foreach (var (k, v) in snapshot) _epoch[k] = (v[0], (int)v[1]);
    }

    public double Mean(string key) => _epoch.TryGetValue(key, out var e) ? e.Sum / e.Count : double.NaN;
}
