using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Configuration;

namespace NanoDet.Host.Configuration;

/// <summary>
/// The effective configuration as JSON: embedded in checkpoints so a weights file says how it was trained, and read
/// back as a config layer when a checkpoint or resume file is used. Sections whose children are 0..n−1 become arrays.
/// </summary>
internal static class ConfigJson
{
    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = false };

    public static string FromConfiguration(IConfiguration config, params string[] excludeSections)
    {
        var root = new JsonObject();
        foreach (var child in config.GetChildren())
        {
            if (excludeSections.Contains(child.Key, StringComparer.OrdinalIgnoreCase)) continue;
            root[child.Key] = ToNode(child);
        }
        return root.ToJsonString(Indented);
    }

    /// <summary>One section as compact JSON (also valid YAML flow syntax); values are strings.</summary>
    public static string FromSection(IConfigurationSection section) => ToNode(section)?.ToJsonString(Indented) ?? "null";

    private static JsonNode? ToNode(IConfigurationSection s)
    {
        var children = s.GetChildren().ToList();
        if (children.Count == 0) return s.Value is null ? null : JsonValue.Create(s.Value);
        bool isArray = children.Select((c, i) => c.Key == i.ToString(System.Globalization.CultureInfo.InvariantCulture)).All(b => b)
            && children.Count > 0;
        if (isArray)
        {
            var a = new JsonArray();
            foreach (var c in children.OrderBy(c => int.Parse(c.Key, System.Globalization.CultureInfo.InvariantCulture))) a.Add(ToNode(c));
            return a;
        }
        var o = new JsonObject();
        foreach (var c in children) o[c.Key] = ToNode(c);
        return o;
    }
}
