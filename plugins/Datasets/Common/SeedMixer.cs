namespace NanoDet.Datasets.Common;

/// <summary>
/// Derives independent, reproducible seeds from (base seed, stream, index) with SplitMix64, so every sample or
/// generated image has its own <see cref="Random"/> whatever thread or order it is processed in.
/// (<see cref="HashCode"/> is randomised per process and must not be used for this.)
/// </summary>
public static class SeedMixer
{
    /// <summary>SplitMix64 finaliser.</summary>
    public static ulong Mix(ulong z)
    {
        z += 0x9E3779B97F4A7C15UL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }

    /// <summary>A non-negative 31-bit seed for <c>new Random(seed)</c> from the given parts.</summary>
    public static int Seed(params long[] parts)
    {
        ulong h = 0x2545F4914F6CDD1DUL;
        foreach (var p in parts) h = Mix(h ^ (ulong)p);
        return (int)(h & 0x7FFFFFFF);
    }

    /// <summary>Stable 64-bit FNV-1a hash of a string (for salts such as a split name).</summary>
    public static long Hash(string s)
    {
        ulong h = 0xCBF29CE484222325UL;
        foreach (char c in s)
        {
            h ^= c;
            h *= 0x100000001B3UL;
        }
        return (long)h;
    }
}
