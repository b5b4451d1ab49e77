using System.Numerics;

namespace NanoDet.Checkpoints.PyTorch.Pickle;

/// <summary>
/// Python's key equality for the hashable values an unpickled checkpoint can hold: numbers compare by value across
/// bool/int/float (True == 1 == 1.0), strings ordinally, bytes and tuples element-wise; anything else by identity.
/// Tuple nesting is bounded by <see cref="MaxDepth"/> (checked when a key is inserted), so this never recurses deeply.
/// Numbers hash through <see cref="HashCode"/> (seeded per process) so crafted colliding integers cannot make dict
/// inserts quadratic; tuple hashes are cached.
/// </summary>
internal sealed class PickleKeyComparer : IEqualityComparer<object>
{
    public const int MaxDepth = 32;

    public static readonly PickleKeyComparer Instance = new();

    public new bool Equals(object? x, object? y)
    {
        if (ReferenceEquals(x, y)) return true;
        if (x is null || y is null) return false;
        if (IsNumber(x) && IsNumber(y)) return NumbersEqual(x, y);
        return (x, y) switch
        {
            (string a, string b) => string.Equals(a, b, StringComparison.Ordinal),
            (byte[] a, byte[] b) => a.AsSpan().SequenceEqual(b),
            (PickleTuple a, PickleTuple b) => TuplesEqual(a, b),
            (Complex a, Complex b) => a == b,
            _ => x.Equals(y) && x.GetType() == y.GetType(),
        };
    }

    public int GetHashCode(object obj) => obj switch
    {
        bool b => HashCode.Combine(b ? 1L : 0L),
        long l => HashCode.Combine(l),
        BigInteger bi => bi >= long.MinValue && bi <= long.MaxValue ? HashCode.Combine((long)bi) : HashCode.Combine(bi),
        double d => IsIntegral(d) ? HashCode.Combine((long)d) : HashCode.Combine(d),
        string s => StringComparer.Ordinal.GetHashCode(s),
        byte[] bytes => HashBytes(bytes),
        PickleTuple t => HashTuple(t),
        _ => obj.GetHashCode(),
    };

    /// <summary>
    /// Throws unless <paramref name="key"/> is a value Python could hash and our comparer handles. Tuples already in
    /// <paramref name="checkedTuples"/> are not walked again, so the total work stays linear in the pickle's size.
    /// </summary>
    public static void EnsureHashable(object key, Func<string, Exception> fail, HashSet<PickleTuple> checkedTuples, int depth = 0)
    {
        switch (key)
        {
            case List<object?>:
            case PickleDict:
            case PickleSet { IsFrozen: false }:
                throw fail($"a {PickleDescribe.TypeName(key)} is used as a dict key or set item (unhashable in Python)");
            case PickleTuple t:
                if (checkedTuples.Contains(t)) return;
                if (depth >= MaxDepth) throw fail($"a dict key nests tuples deeper than {MaxDepth} levels");
                foreach (var item in t)
                    EnsureHashable(item ?? PickleNone.Instance, fail, checkedTuples, depth + 1);
                checkedTuples.Add(t);
                break;
        }
    }

    private static bool IsNumber(object o) => o is bool or long or BigInteger or double;

    private static bool IsIntegral(double d) => Math.Floor(d) == d && d >= long.MinValue && d < 9.2233720368547758E18;

    private static bool NumbersEqual(object x, object y)
    {
        if (x is double || y is double)
            return ToDouble(x) == ToDouble(y);
        return ToBig(x) == ToBig(y);
    }

    private static double ToDouble(object o) => o switch
    {
        bool b => b ? 1 : 0,
        long l => l,
        BigInteger bi => (double)bi,
        _ => (double)o,
    };

    private static BigInteger ToBig(object o) => o switch
    {
        bool b => b ? BigInteger.One : BigInteger.Zero,
        long l => l,
        _ => (BigInteger)o,
    };

    private bool TuplesEqual(PickleTuple a, PickleTuple b)
    {
        if (a.Count != b.Count) return false;
        for (var i = 0; i < a.Count; i++)
            if (!Equals(a[i] ?? PickleNone.Instance, b[i] ?? PickleNone.Instance)) return false;
        return true;
    }

    private int HashTuple(PickleTuple t)
    {
        if (t.CachedHash is { } cached) return cached;
        var h = new HashCode();
        foreach (var item in t) h.Add(GetHashCode(item ?? PickleNone.Instance));
        t.CachedHash = h.ToHashCode();
        return t.CachedHash.Value;
    }

    private static int HashBytes(byte[] bytes)
    {
        var h = new HashCode();
        h.AddBytes(bytes);
        return h.ToHashCode();
    }
}
