using System.Text.Json;
using System.Text.Json.Serialization;
using NanoDet.Compute.Runtime;

namespace NanoDet.Compute.Kernels;

/// <summary>
/// Kernel choices on disk, one JSON file per machine fingerprint, oneDNN level and thread count
/// (<c>&lt;cache&gt;/kernels/conv-&lt;hash&gt;.json</c>): every process on the same machine and libtorch reuses what
/// another measured. Writes merge with the file's current content under a lock, so parallel processes add to it
/// safely; an unreadable file is ignored and rewritten.
/// </summary>
public sealed class ConvKernelCache
{
    private static readonly JsonSerializerOptions Json = new()
    {
        WriteIndented = true,
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        // A rejected candidate's error can be infinite (NaN output) or NaN (it threw); both are recorded as such.
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
    };

    private readonly object _gate = new();
    private Dictionary<string, ConvKernelChoice>? _entries;

    /// <param name="path">The JSON file; null keeps choices in memory only.</param>
    public ConvKernelCache(string? path) => Path = path;

    public string? Path { get; }

    /// <summary>The cached choice for a call key, if any.</summary>
    public ConvKernelChoice? Find(string key)
    {
        lock (_gate)
        {
            _entries ??= Read();
            return _entries.GetValueOrDefault(key);
        }
    }

    /// <summary>Adds a choice and writes the file (merged with what other processes wrote meanwhile).</summary>
    public void Add(ConvKernelChoice choice)
    {
        lock (_gate)
        {
            _entries ??= Read();
            _entries[choice.CallKey] = choice;
            if (Path is null) return;
            try
            {
                UserCacheFolder.WithLock(Path, TimeSpan.FromSeconds(10), () =>
                {
                    var merged = Read();
                    merged[choice.CallKey] = choice;
                    AtomicFile.WriteAllText(Path, JsonSerializer.Serialize(new CacheFile(merged.Values.OrderBy(c => c.CallKey).ToList()), Json));
                    return 0;
                });
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                // A read-only cache only costs re-measuring next time.
            }
        }
    }

    private Dictionary<string, ConvKernelChoice> Read()
    {
        if (Path is null || !File.Exists(Path)) return new();
        try
        {
            var file = JsonSerializer.Deserialize<CacheFile>(File.ReadAllText(Path), Json);
            return file?.Choices?.Where(c => c?.CallKey is not null && c.Kernel is not null)
                       .GroupBy(c => c.CallKey).ToDictionary(g => g.Key, g => g.Last()) ?? new();
        }
        catch (Exception e) when (e is JsonException or IOException or NotSupportedException)
        {
            return new();
        }
    }

    private sealed record CacheFile(List<ConvKernelChoice> Choices);
}
