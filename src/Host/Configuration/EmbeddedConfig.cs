using System.Buffers.Binary;
using System.Text.Json;
using NanoDet.Abstractions.Plugins;

namespace NanoDet.Host.Configuration;

/// <summary>
/// Reads the configuration a checkpoint carries (the <c>config</c> entry of a safetensors <c>__metadata__</c>)
/// without loading its tensors: only the 8-byte length and the JSON header are read.
/// </summary>
public static class EmbeddedConfig
{
    /// <summary>The embedded configuration, or null when the file has none (e.g. weights converted from PyTorch).</summary>
    public static ConfigNode? Read(string path)
    {
        if (!File.Exists(path)) throw new InputDataException($"{path}: file not found");
        var meta = ReadMetadata(path);
        return meta is not null && meta.TryGetValue("config", out var json) && json is not null
            ? ConfigFileReader.ReadJson(json, $"{path} (embedded config)")
            : null;
    }

    /// <summary>The <c>__metadata__</c> map of a safetensors file, or null for other formats.</summary>
    public static Dictionary<string, string?>? ReadMetadata(string path)
    {
        using var fs = File.OpenRead(path);
        Span<byte> len = stackalloc byte[8];
        if (fs.Read(len) != 8) return null;
        var n = BinaryPrimitives.ReadUInt64LittleEndian(len);
        if (n == 0 || n > 100_000_000 || (long)n > fs.Length - 8) return null;
        var header = new byte[n];
        fs.ReadExactly(header);
        if (header[0] != (byte)'{') return null;
        if (!System.Text.Unicode.Utf8.IsValid(header)) throw new InputDataException($"{path}: safetensors header is not valid UTF-8");
        try
        {
            using var doc = JsonDocument.Parse(header);
            if (!doc.RootElement.TryGetProperty("__metadata__", out var m) || m.ValueKind != JsonValueKind.Object) return [];
            return m.EnumerateObject().ToDictionary(p => p.Name, p => p.Value.ValueKind == JsonValueKind.String ? p.Value.GetString() : p.Value.GetRawText());
        }
        catch (JsonException e)
        {
            throw new InputDataException($"{path}: safetensors header is not valid JSON ({e.Message})", e);
        }
    }
}
