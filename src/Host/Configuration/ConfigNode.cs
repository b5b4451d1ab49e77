namespace NanoDet.Host.Configuration;

/// <summary>
/// A node of the merged configuration tree. A node may hold a scalar <see cref="Value"/>, children, or both
/// (e.g. <c>device: cpu</c> from JSON plus NanoDet's <c>device: {batchsize_per_gpu: 32}</c> from YAML).
/// Sequences are children keyed "0", "1", ... with <see cref="IsSequence"/> set.
/// </summary>
internal sealed class ConfigNode
{
    private readonly List<string> _order = [];
    private readonly Dictionary<string, ConfigNode> _children = new(StringComparer.OrdinalIgnoreCase);

    public string? Value { get; set; }

    public bool IsSequence { get; private set; }

    public IEnumerable<KeyValuePair<string, ConfigNode>> Children => _order.Select(k => new KeyValuePair<string, ConfigNode>(k, _children[k]));

    public bool HasChildren => _order.Count > 0;

    public ConfigNode? this[string key] => _children.GetValueOrDefault(key);

    public static ConfigNode Scalar(string? value) => new() { Value = value };

    public static ConfigNode Sequence(IEnumerable<ConfigNode> items)
    {
        var n = new ConfigNode { IsSequence = true };
        int i = 0;
        foreach (var item in items) n.Set((i++).ToString(System.Globalization.CultureInfo.InvariantCulture), item);
        return n;
    }

    public void Set(string key, ConfigNode child)
    {
        if (!_children.ContainsKey(key)) _order.Add(key);
        else _order[_order.FindIndex(k => string.Equals(k, key, StringComparison.OrdinalIgnoreCase))] = key;
        _children[key] = child;
    }

    /// <summary>Gets or creates the child at <paramref name="key"/>.</summary>
    public ConfigNode Child(string key)
    {
        if (_children.TryGetValue(key, out var c)) return c;
        c = new ConfigNode();
        Set(key, c);
        return c;
    }

    /// <summary>
    /// Merges <paramref name="overlay"/> into this node, later wins: mappings merge key by key, except that a
    /// mapping whose <c>name</c> differs from this node's replaces it whole (another plugin, other keys); a sequence
    /// replaces the whole node's children (a shorter list never keeps stale tail items); a scalar replaces
    /// the value and, if this node was a sequence, its items.
    /// </summary>
    public void Merge(ConfigNode overlay)
    {
        if (overlay.IsSequence)
        {
            _order.Clear();
            _children.Clear();
            IsSequence = true;
            foreach (var (k, v) in overlay.Children) Set(k, v.DeepClone());
            if (overlay.Value is not null) Value = overlay.Value;
            return;
        }
        if (overlay.Value is not null)
        {
            Value = overlay.Value;
            if (IsSequence)
            {
                _order.Clear();
                _children.Clear();
                IsSequence = false;
            }
        }
        if (overlay.HasChildren && !IsSequence && NamesDiffer(this, overlay))
        {
            // A section that now names another plugin starts over: the old plugin's keys (e.g. a synthetic
            // dataset's count/seed when a profile switches data:train to XMLDataset) would only be noise.
            _order.Clear();
            _children.Clear();
        }
        if (overlay.HasChildren && IsSequence)
        {
            // A mapping over a sequence replaces it.
            _order.Clear();
            _children.Clear();
            IsSequence = false;
        }
        foreach (var (k, v) in overlay.Children)
        {
            if (_children.TryGetValue(k, out var existing)) existing.Merge(v);
            else Set(k, v.DeepClone());
        }
    }

    private static bool NamesDiffer(ConfigNode current, ConfigNode overlay) =>
        current["name"]?.Value is { } a && overlay["name"]?.Value is { } b && !string.Equals(a, b, StringComparison.Ordinal);

    public ConfigNode DeepClone()
    {
        var n = new ConfigNode { Value = Value, IsSequence = IsSequence };
        foreach (var (k, v) in Children) n.Set(k, v.DeepClone());
        return n;
    }

    /// <summary>Sets the value at a colon-separated path, creating intermediate nodes.</summary>
    public void SetPath(string path, ConfigNode value)
    {
        var parts = path.Split(':', StringSplitOptions.RemoveEmptyEntries);
        if (parts.Length == 0) throw new ArgumentException("empty configuration key", nameof(path));
        var node = this;
        for (int i = 0; i < parts.Length - 1; i++) node = node.Child(parts[i]);
        if (node[parts[^1]] is { } existing) existing.Merge(value);
        else node.Set(parts[^1], value);
    }

    /// <summary>Flattens to Microsoft.Extensions.Configuration key/value pairs (keys joined with ':').</summary>
    public IEnumerable<KeyValuePair<string, string?>> Flatten(string prefix = "")
    {
        if (prefix.Length > 0 && (Value is not null || !HasChildren))
            yield return new(prefix, Value);
        foreach (var (k, v) in Children)
        {
            var key = prefix.Length == 0 ? k : prefix + ":" + k;
            foreach (var kv in v.Flatten(key)) yield return kv;
        }
    }
}
