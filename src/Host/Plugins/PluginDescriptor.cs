namespace NanoDet.Host.Plugins;

/// <summary>A discovered plugin, as listed by <c>nanodet plugins</c>.</summary>
internal sealed record PluginDescriptor(string Kind, string Name, Type Type, string? Description)
{
    public string AssemblyName => Type.Assembly.GetName().Name ?? "?";
    public string Version => Type.Assembly.GetName().Version?.ToString() ?? "?";
    public string Location => string.IsNullOrEmpty(Type.Assembly.Location) ? "(in memory)" : Type.Assembly.Location;
    public PluginKey Key => new(Kind, Name);
}
