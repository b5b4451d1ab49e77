namespace NanoDet.Host.Plugins;

/// <summary>Keyed-service key of a plugin: (kind, name), names compared case-sensitively as NanoDet does.</summary>
internal sealed record PluginKey(string Kind, string Name)
{
    public override string ToString() => $"{Kind}:{Name}";
}
