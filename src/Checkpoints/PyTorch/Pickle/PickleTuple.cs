namespace NanoDet.Checkpoints.PyTorch.Pickle;

/// <summary>An unpickled Python tuple (immutable, may be a dict key).</summary>
internal sealed class PickleTuple(object?[] items) : IReadOnlyList<object?>
{
    public static readonly PickleTuple Empty = new([]);

    private readonly object?[] _items = items;

    public int Count => _items.Length;

    /// <summary>Hash cached by <see cref="PickleKeyComparer"/>: a memoised tuple used as a key many times is hashed once.</summary>
    internal int? CachedHash { get; set; }

    public object? this[int index] => _items[index];

    public IEnumerator<object?> GetEnumerator() => ((IEnumerable<object?>)_items).GetEnumerator();

    System.Collections.IEnumerator System.Collections.IEnumerable.GetEnumerator() => _items.GetEnumerator();
}
