using System.Text.Json;
using NanoDet.Abstractions.Plugins;
using NanoDet.Inference.Errors;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace NanoDet.Host.Configuration;

/// <summary>Reads JSON and YAML (NanoDet's own <c>.yml</c> configs, anchors included) into <see cref="ConfigNode"/> trees.</summary>
internal static class ConfigFileReader
{
    /// <summary>Reads a config file by extension (.yml/.yaml or .json). Errors name the file and line.</summary>
    public static ConfigNode ReadFile(string path)
    {
        if (!File.Exists(path)) throw new ConfigurationException($"{path}: config file not found");
        var text = File.ReadAllText(path);
        var ext = Path.GetExtension(path).ToLowerInvariant();
        var node = ext switch
        {
            ".yml" or ".yaml" => ReadYaml(text, path),
            ".json" => ReadJson(text, path),
            _ => throw new ConfigurationException($"{path}: unknown config format '{ext}' (use .yml, .yaml or .json)"),
        };
        // A config is a mapping of sections; a list or a bare value at the top would be read as keys "0", "1", ...
        if (node.IsSequence || (!node.HasChildren && node.Value is not null))
            throw new ConfigurationException($"{path}: a config file must be a mapping of sections (model:, data:, ...) at the top level");
        return node;
    }

    public static ConfigNode ReadJson(string text, string source)
    {
        try
        {
            using var doc = JsonDocument.Parse(text, new JsonDocumentOptions
            {
                AllowTrailingCommas = true,
                CommentHandling = JsonCommentHandling.Skip,
            });
            return FromJson(doc.RootElement);
        }
        catch (JsonException e)
        {
            var line = (e.LineNumber ?? 0) + 1;
            throw new ConfigurationException($"{source}:{line}: invalid JSON: {FirstSentence(e.Message)}", e);
        }
    }

    private static ConfigNode FromJson(JsonElement e) => e.ValueKind switch
    {
        JsonValueKind.Object => FromJsonObject(e),
        JsonValueKind.Array => ConfigNode.Sequence(e.EnumerateArray().Select(FromJson)),
        JsonValueKind.String => ConfigNode.Scalar(e.GetString()),
        JsonValueKind.Null => ConfigNode.Scalar(null),
        JsonValueKind.True => ConfigNode.Scalar("true"),
        JsonValueKind.False => ConfigNode.Scalar("false"),
        _ => ConfigNode.Scalar(e.GetRawText()),
    };

    private static ConfigNode FromJsonObject(JsonElement e)
    {
        var n = new ConfigNode();
        foreach (var p in e.EnumerateObject()) n.Set(p.Name, FromJson(p.Value));
        return n;
    }

    public static ConfigNode ReadYaml(string text, string source)
    {
        var stream = new YamlStream();
        var parser = new TrackingParser(new Parser(new StringReader(text)));
        try
        {
            stream.Load(parser);
        }
        catch (YamlException e)
        {
            var inner = e.InnerException is YamlException ie ? ie : e;
            throw new ConfigurationException(
                $"{source}:{inner.Start.Line}: invalid YAML: {FirstSentence(inner.Message)}", e);
        }
        catch (InvalidOperationException e)
        {
            // YamlDotNet reports some truncated documents (e.g. an unclosed flow list) without a position.
            throw new ConfigurationException(
                $"{source}:{parser.LastLine}: invalid YAML: unexpected end of input after this line (unclosed list, mapping or quote?)", e);
        }
        if (stream.Documents.Count == 0) return new ConfigNode();
        return FromYaml(stream.Documents[0].RootNode, source);
    }

    private static ConfigNode FromYaml(YamlNode node, string source) => node switch
    {
        YamlMappingNode m => FromYamlMapping(m, source),
        YamlSequenceNode s => ConfigNode.Sequence(s.Children.Select(c => FromYaml(c, source))),
        YamlScalarNode sc => ConfigNode.Scalar(YamlScalar(sc)),
        _ => throw new ConfigurationException($"{source}:{node.Start.Line}: unsupported YAML node"),
    };

    private static ConfigNode FromYamlMapping(YamlMappingNode m, string source)
    {
        var n = new ConfigNode();
        foreach (var (k, v) in m.Children)
        {
            if (k is not YamlScalarNode ks || ks.Value is null)
                throw new ConfigurationException($"{source}:{k.Start.Line}: mapping keys must be plain scalars");
            n.Set(ks.Value, FromYaml(v, source));
        }
        return n;
    }

    /// <summary>YAML 1.1-style plain scalars as NanoDet's loader sees them: null, booleans (True/False), numbers as text.</summary>
    private static string? YamlScalar(YamlScalarNode s)
    {
        if (s.Style is ScalarStyle.Plain)
        {
            switch (s.Value)
            {
                case null or "" or "~" or "null" or "Null" or "NULL":
                    return null;
                case "True" or "true" or "TRUE" or "yes" or "Yes" or "on" or "On":
                    return "true";
                case "False" or "false" or "FALSE" or "no" or "No" or "off" or "Off":
                    return "false";
            }
        }
        return s.Value;
    }

    /// <summary>
    /// Parses a <c>--set</c> or environment value: flow YAML when it starts with '[' or '{'
    /// (e.g. <c>[320,320]</c>), otherwise the literal text.
    /// </summary>
    public static ConfigNode ParseValue(string value, string source)
    {
        var t = value.Trim();
        if (t.StartsWith('[') || t.StartsWith('{')) return ReadYaml(t, source);
        return ConfigNode.Scalar(value);
    }

    /// <summary>Remembers where the last parsed event ended, to name a line when the parser cannot.</summary>
    private sealed class TrackingParser(IParser inner) : IParser
    {
        public long LastLine { get; private set; } = 1;

        public YamlDotNet.Core.Events.ParsingEvent? Current => inner.Current;

        public bool MoveNext()
        {
            var moved = inner.MoveNext();
            if (inner.Current is { } c) LastLine = c.End.Line;
            return moved;
        }
    }

    private static string FirstSentence(string message)
    {
        var m = message.ReplaceLineEndings(" ");
        return m.Length > 200 ? m[..200] : m;
    }
}
