namespace NanoDet.Host.Configuration;

/// <summary>Where configuration comes from, later wins (README.md#configuration).</summary>
/// <param name="BaseDirectory">Folder holding appsettings.json and appsettings.&lt;profile&gt;.json.</param>
/// <param name="Profile">--profile, else DOTNET_ENVIRONMENT, else none.</param>
/// <param name="ConfigFile">--config FILE (NanoDet YAML or JSON).</param>
/// <param name="Environment">Environment variables (only NANODET__* are used).</param>
/// <param name="Sets">--set key=value items in command-line order.</param>
/// <param name="Embedded">
/// The configuration stored in a checkpoint or resume file (<c>--checkpoint</c>, <c>--resume</c>), merged after
/// the profile and before --config: a weights file remembers how it was trained, the command line still wins.
/// </param>
internal sealed record ConfigSources(
    string BaseDirectory,
    string? Profile,
    string? ConfigFile,
    IReadOnlyDictionary<string, string?> Environment,
    IReadOnlyList<string> Sets,
    ConfigNode? Embedded = null);
