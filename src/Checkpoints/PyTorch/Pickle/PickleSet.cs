namespace NanoDet.Checkpoints.PyTorch.Pickle;

/// <summary>An unpickled Python set or frozenset (insertion-ordered here; Python's order is unspecified).</summary>
internal sealed class PickleSet(bool isFrozen)
{
    private readonly OrderedDictionary<object, object?> _items = new(PickleKeyComparer.Instance);

    public bool IsFrozen { get; } = isFrozen;

    public int Count => _items.Count;

    /// <summary>Items in insertion order; None is returned as null.</summary>
    public IEnumerable<object?> Items => _items.Keys.Select(k => k is PickleNone ? null : k);

    public void Add(object? item) => _items.TryAdd(item ?? PickleNone.Instance, null);

    public bool Contains(object? item) => _items.ContainsKey(item ?? PickleNone.Instance);
}
