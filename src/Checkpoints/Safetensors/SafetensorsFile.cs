using System.Buffers.Binary;
using System.Text.Json;
using NanoDet.Abstractions.Plugins;
using NanoDet.Compute.Runtime;
using NanoDet.Inference.Errors;

namespace NanoDet.Checkpoints.Safetensors;

/// <summary>
/// The safetensors format, read and written here: an 8-byte little-endian header length N, N bytes of UTF-8 JSON
/// (<c>{"name": {"dtype", "shape", "data_offsets": [begin, end]}, "__metadata__": {string: string}}</c>, space-padded to a
/// multiple of 8) and the raw tensor bytes. Offsets are relative to the data section; the reader demands what the
/// reference implementation demands: entries tile the data section exactly (no overlap, no gap, nothing after).
/// Tensors keep the header's order; the writer writes them in list order, so read → write reproduces our own files
/// byte for byte.
/// </summary>
public sealed class SafetensorsFile
{
    /// <summary>The reserved header key of the free-form string map.</summary>
    public const string MetadataKey = "__metadata__";

    /// <summary>Largest accepted header (the reference implementation's limit).</summary>
    public const long MaxHeaderBytes = 100_000_000;

    public SafetensorsFile(IReadOnlyList<SafetensorsTensor> tensors, IReadOnlyDictionary<string, string>? metadata = null)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var t in tensors)
        {
            if (t.Name == MetadataKey) throw new ArgumentException($"'{MetadataKey}' is reserved and cannot name a tensor");
            if (!seen.Add(t.Name)) throw new ArgumentException($"duplicate tensor name '{t.Name}'");
            if (t.Shape.Any(d => d < 0)) throw new ArgumentException($"tensor '{t.Name}' has a negative dimension");
            if (t.ElementCount * SafetensorsDTypes.ElementSize(t.DType) != t.Data.Length)
                throw new ArgumentException($"tensor '{t.Name}': {t.Data.Length} bytes for shape [{string.Join(", ", t.Shape)}] of {t.DType}");
        }
        Tensors = tensors;
        Metadata = metadata ?? new Dictionary<string, string>();
    }

    public IReadOnlyList<SafetensorsTensor> Tensors { get; }

    /// <summary>The <c>__metadata__</c> map (empty when absent). Keys keep their order.</summary>
    public IReadOnlyDictionary<string, string> Metadata { get; }

    /// <summary>Reads and validates a file; every defect is an <see cref="InputDataException"/> naming the file.</summary>
    public static SafetensorsFile Read(string path)
    {
        byte[] bytes;
        try { bytes = File.ReadAllBytes(path); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new InputDataException($"{path}: cannot read weights file: {e.Message}", e);
        }
        return Parse(bytes, path);
    }

    /// <summary>
    /// The <c>__metadata__</c> map of <paramref name="path"/> read from its header alone (the tensors are not read),
    /// or null when the file does not start like a safetensors file (e.g. a PyTorch zip). A file that starts like
    /// one but has a broken header is an <see cref="InputDataException"/> naming the file.
    /// </summary>
    public static IReadOnlyDictionary<string, string>? ReadMetadata(string path)
    {
        InputDataException Bad(string why) => new($"{path}: not a valid safetensors file: {why}");
        byte[] header;
        try
        {
            using var fs = File.OpenRead(path);
            Span<byte> length = stackalloc byte[8];
            if (fs.Read(length) != 8) return null;
            ulong n = BinaryPrimitives.ReadUInt64LittleEndian(length);
            if (n == 0 || n > MaxHeaderBytes || (long)n > fs.Length - 8) return null;
            header = new byte[n];
            fs.ReadExactly(header);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new InputDataException($"{path}: cannot read weights file: {e.Message}", e);
        }
        if (header[0] != (byte)'{') return null;
        if (!System.Text.Unicode.Utf8.IsValid(header)) throw Bad("the header is not valid UTF-8");
        var metadata = new Dictionary<string, string>(StringComparer.Ordinal);
        try
        {
            using var doc = JsonDocument.Parse(header, new JsonDocumentOptions { MaxDepth = 8 });
            if (doc.RootElement.ValueKind != JsonValueKind.Object) throw Bad("the header is not a JSON object");
            if (doc.RootElement.TryGetProperty(MetadataKey, out var m)) ReadMetadata(m, metadata, Bad);
        }
        catch (JsonException e) { throw Bad($"header JSON: {e.Message}"); }
        return metadata;
    }

    private static void ReadMetadata(JsonElement element, Dictionary<string, string> metadata, Func<string, InputDataException> bad)
    {
        if (element.ValueKind != JsonValueKind.Object) throw bad($"'{MetadataKey}' is not an object");
        foreach (var m in element.EnumerateObject())
        {
            if (m.Value.ValueKind != JsonValueKind.String) throw bad($"metadata '{m.Name}' is not a string");
            metadata[m.Name] = m.Value.GetString()!;
        }
    }

    /// <summary>Parses file contents; <paramref name="source"/> names the file in errors.</summary>
    public static SafetensorsFile Parse(ReadOnlySpan<byte> bytes, string source)
    {
        InputDataException Bad(string why) => new($"{source}: not a valid safetensors file: {why}");

        if (bytes.Length < 8) throw Bad($"{bytes.Length} bytes, shorter than the 8-byte header length");
        ulong n = BinaryPrimitives.ReadUInt64LittleEndian(bytes);
        if (n > MaxHeaderBytes) throw Bad($"header length {n} exceeds {MaxHeaderBytes} bytes");
        if ((ulong)bytes.Length - 8 < n) throw Bad($"header length {n} runs past the end of the file ({bytes.Length} bytes)");
        var headerBytes = bytes.Slice(8, (int)n);
        if (headerBytes.Length == 0 || headerBytes[0] != (byte)'{') throw Bad("the header is not a JSON object");
        var data = bytes[(8 + (int)n)..];
        // System.Text.Json checks UTF-8 only when a string is read, and then throws an InvalidOperationException.
        if (!System.Text.Unicode.Utf8.IsValid(headerBytes)) throw Bad("the header is not valid UTF-8");

        JsonDocument doc;
        try { doc = JsonDocument.Parse(headerBytes.ToArray(), new JsonDocumentOptions { MaxDepth = 8 }); }
        catch (JsonException e) { throw Bad($"header JSON: {e.Message}"); }

        using (doc)
        {
            if (doc.RootElement.ValueKind != JsonValueKind.Object) throw Bad("the header is not a JSON object");
            var metadata = new Dictionary<string, string>(StringComparer.Ordinal);
            var entries = new List<(string Name, SafetensorsDType DType, long[] Shape, long Begin, long End)>();
            var names = new HashSet<string>(StringComparer.Ordinal);
            foreach (var prop in doc.RootElement.EnumerateObject())
            {
                if (!names.Add(prop.Name)) throw Bad($"duplicate key '{prop.Name}'");
                if (prop.Name == MetadataKey)
                {
                    ReadMetadata(prop.Value, metadata, Bad);
                    continue;
                }
                entries.Add(ParseEntry(prop, Bad));
            }

            // The entries must tile the data section: sorted by offset, contiguous, sizes matching dtype × shape.
            long cursor = 0;
            foreach (var e in entries.OrderBy(e => e.Begin).ThenBy(e => e.End))
            {
                if (e.End < e.Begin) throw Bad($"tensor '{e.Name}': data_offsets [{e.Begin}, {e.End}] end before they begin");
                if (e.End > data.Length)
                    throw Bad($"tensor '{e.Name}': data_offsets [{e.Begin}, {e.End}] lie outside the {data.Length}-byte data section");
                if (e.Begin < cursor) throw Bad($"tensor '{e.Name}': data_offsets [{e.Begin}, {e.End}] overlap another tensor");
                if (e.Begin > cursor) throw Bad($"tensor '{e.Name}': data_offsets [{e.Begin}, {e.End}] leave a gap at byte {cursor}");
                long expected;
                try
                {
                    expected = checked(e.Shape.Aggregate(1L, (a, d) => checked(a * d)) * SafetensorsDTypes.ElementSize(e.DType));
                }
                catch (OverflowException)
                {
                    throw Bad($"tensor '{e.Name}': shape [{string.Join(", ", e.Shape)}] is too large");
                }
                if (e.End - e.Begin != expected)
                    throw Bad($"tensor '{e.Name}': {e.End - e.Begin} bytes but shape [{string.Join(", ", e.Shape)}] of {e.DType} needs {expected}");
                cursor = e.End;
            }
            if (cursor != data.Length) throw Bad($"{data.Length - cursor} bytes after the last tensor");

            var tensors = new List<SafetensorsTensor>(entries.Count);
            foreach (var e in entries)
                tensors.Add(new SafetensorsTensor(e.Name, e.DType, e.Shape, data[(int)e.Begin..(int)e.End].ToArray()));
            return new SafetensorsFile(tensors, metadata);
        }
    }

    private static (string, SafetensorsDType, long[], long, long) ParseEntry(JsonProperty prop, Func<string, InputDataException> bad)
    {
        var v = prop.Value;
        if (v.ValueKind != JsonValueKind.Object) throw bad($"entry '{prop.Name}' is not an object");
        if (!v.TryGetProperty("dtype", out var dt) || dt.ValueKind != JsonValueKind.String)
            throw bad($"tensor '{prop.Name}' has no dtype");
        var dtype = SafetensorsDTypes.Parse(dt.GetString()!)
            ?? throw bad($"tensor '{prop.Name}' has unknown dtype '{dt.GetString()}'");
        if (!v.TryGetProperty("shape", out var sh) || sh.ValueKind != JsonValueKind.Array)
            throw bad($"tensor '{prop.Name}' has no shape");
        var shape = new long[sh.GetArrayLength()];
        int i = 0;
        foreach (var d in sh.EnumerateArray())
        {
            if (d.ValueKind != JsonValueKind.Number || !d.TryGetInt64(out var dim) || dim < 0)
                throw bad($"tensor '{prop.Name}' has an invalid shape entry {d.GetRawText()}");
            shape[i++] = dim;
        }
        if (!v.TryGetProperty("data_offsets", out var off) || off.ValueKind != JsonValueKind.Array || off.GetArrayLength() != 2)
            throw bad($"tensor '{prop.Name}' has no data_offsets [begin, end]");
        var ends = off.EnumerateArray().Select(x =>
            x.ValueKind == JsonValueKind.Number && x.TryGetInt64(out var o) && o >= 0
                ? o
                : throw bad($"tensor '{prop.Name}' has an invalid data offset {x.GetRawText()}")).ToArray();
        return (prop.Name, dtype, shape, ends[0], ends[1]);
    }

    /// <summary>The file contents: header length, padded header, data in list order.</summary>
    public byte[] ToBytes()
    {
        var json = new MemoryStream();
        using (var w = new Utf8JsonWriter(json))
        {
            w.WriteStartObject();
            if (Metadata.Count > 0)
            {
                w.WriteStartObject(MetadataKey);
                foreach (var (k, v) in Metadata) w.WriteString(k, v);
                w.WriteEndObject();
            }
            long offset = 0;
            foreach (var t in Tensors)
            {
                w.WriteStartObject(t.Name);
                w.WriteString("dtype", t.DType.ToString());
                w.WriteStartArray("shape");
                foreach (var d in t.Shape) w.WriteNumberValue(d);
                w.WriteEndArray();
                w.WriteStartArray("data_offsets");
                w.WriteNumberValue(offset);
                w.WriteNumberValue(offset + t.Data.Length);
                w.WriteEndArray();
                w.WriteEndObject();
                offset += t.Data.Length;
            }
            w.WriteEndObject();
        }
        int headerLength = (int)json.Length;
        int padded = (headerLength + 7) / 8 * 8;
        long total = 8 + padded + Tensors.Sum(t => (long)t.Data.Length);
        var bytes = new byte[total];
        BinaryPrimitives.WriteUInt64LittleEndian(bytes, (ulong)padded);
        json.GetBuffer().AsSpan(0, headerLength).CopyTo(bytes.AsSpan(8));
        bytes.AsSpan(8 + headerLength, padded - headerLength).Fill((byte)' ');
        long pos = 8 + padded;
        foreach (var t in Tensors)
        {
            t.Data.CopyTo(bytes, pos);
            pos += t.Data.Length;
        }
        return bytes;
    }

    /// <summary>Writes atomically (<see cref="AtomicFile"/>), so a crash or kill never leaves a torn file.</summary>
    public void Write(string path) => AtomicFile.WriteAllBytes(path, ToBytes());
}
