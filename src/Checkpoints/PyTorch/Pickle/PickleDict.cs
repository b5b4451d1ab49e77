namespace NanoDet.Checkpoints.PyTorch.Pickle;

/// <summary>
/// An unpickled Python dict or collections.OrderedDict: insertion-ordered, Python key equality, re-assigning a key
/// keeps its position. <see cref="Attributes"/> holds instance attributes set by BUILD (a state_dict's
/// <c>_metadata</c>), kept as plain data.
/// </summary>
internal sealed class PickleDict(bool isOrderedDict)
{
    private readonly OrderedDictionary<object, object?> _entries = new(PickleKeyComparer.Instance);

    public bool IsOrderedDict { get; } = isOrderedDict;

    public Dictionary<string, object?> Attributes { get; } = new(StringComparer.Ordinal);

    public int Count => _entries.Count;

    /// <summary>Entries in insertion order; a None key is returned as null.</summary>
    public IEnumerable<KeyValuePair<object?, object?>> Entries =>
        _entries.Select(e => new KeyValuePair<object?, object?>(e.Key is PickleNone ? null : e.Key, e.Value));

    public void Set(object? key, object? value) => _entries[key ?? PickleNone.Instance] = value;

    public bool TryGetValue(object? key, out object? value) => _entries.TryGetValue(key ?? PickleNone.Instance, out value);

    public bool ContainsKey(object? key) => _entries.ContainsKey(key ?? PickleNone.Instance);
}
