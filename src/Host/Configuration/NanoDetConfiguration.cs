using System.Collections;
using Microsoft.Extensions.Configuration;
using NanoDet.Abstractions.Plugins;
using NanoDet.Inference.Errors;

namespace NanoDet.Host.Configuration;

/// <summary>
/// Builds the merged configuration: appsettings.json → appsettings.&lt;profile&gt;.json → configuration embedded
/// in a checkpoint (when one is used) → --config file →
/// NANODET__* environment variables → --set. A head described by the embedded configuration or the --config file
/// without <c>corner_encoding</c> is the seed's quadrant head (<see cref="LegacyHeadDefaults"/>). Sequences replace (not merge index by index), so a shorter list
/// in a later source never keeps stale items.
/// </summary>
internal static class NanoDetConfiguration
{
    public const string EnvironmentPrefix = "NANODET__";

    /// <summary>Merges every source into one tree. Errors name the file/line or the offending --set item.</summary>
    public static ConfigNode BuildTree(ConfigSources sources)
    {
        var root = new ConfigNode();
        var baseFile = Path.Combine(sources.BaseDirectory, "appsettings.json");
        if (File.Exists(baseFile)) root.Merge(ConfigFileReader.ReadFile(baseFile));

        if (!string.IsNullOrWhiteSpace(sources.Profile))
        {
            var profileFile = Path.Combine(sources.BaseDirectory, $"appsettings.{sources.Profile}.json");
            if (!File.Exists(profileFile))
            {
                var available = AvailableProfiles(sources.BaseDirectory);
                throw new ConfigurationException(
                    $"profile '{sources.Profile}' not found ({profileFile}); available: {(available.Count == 0 ? "none" : string.Join(", ", available))}");
            }
            root.Merge(ConfigFileReader.ReadFile(profileFile));
        }

        if (sources.Embedded is not null)
            root.Merge(LegacyHeadDefaults.Apply(sources.Embedded.DeepClone()));

        if (!string.IsNullOrWhiteSpace(sources.ConfigFile))
            root.Merge(LegacyHeadDefaults.Apply(ConfigFileReader.ReadFile(sources.ConfigFile)));

        foreach (var (name, value) in sources.Environment.OrderBy(kv => kv.Key, StringComparer.Ordinal))
        {
            if (!name.StartsWith(EnvironmentPrefix, StringComparison.OrdinalIgnoreCase) || value is null) continue;
            var key = name[EnvironmentPrefix.Length..].Replace("__", ":", StringComparison.Ordinal);
            if (key.Length == 0) continue;
            root.SetPath(key, ConfigFileReader.ParseValue(value, $"environment variable {name}"));
        }

        foreach (var item in sources.Sets)
        {
            var eq = item.IndexOf('=');
            if (eq <= 0)
                throw new ConfigurationException($"--set '{item}': expected key=value, e.g. --set schedule:total_epochs=10");
            var key = item[..eq].Trim().Replace('.', ':');
            root.SetPath(key, ConfigFileReader.ParseValue(item[(eq + 1)..], $"--set {key}"));
        }
        return root;
    }

    /// <summary>The merged tree as an <see cref="IConfiguration"/>.</summary>
    public static IConfigurationRoot Build(ConfigSources sources) => ToConfiguration(BuildTree(sources));

    public static IConfigurationRoot ToConfiguration(ConfigNode tree) =>
        new ConfigurationBuilder().AddInMemoryCollection(tree.Flatten()).Build();

    /// <summary>Profile names found beside the executable (appsettings.&lt;name&gt;.json).</summary>
    public static IReadOnlyList<string> AvailableProfiles(string baseDirectory) =>
        Directory.Exists(baseDirectory)
            ? Directory.GetFiles(baseDirectory, "appsettings.*.json")
                .Select(f => Path.GetFileNameWithoutExtension(f)["appsettings.".Length..])
                .Order(StringComparer.Ordinal).ToArray()
            : [];

    /// <summary>The process environment as a dictionary.</summary>
    public static IReadOnlyDictionary<string, string?> ProcessEnvironment()
    {
        var d = new Dictionary<string, string?>(StringComparer.Ordinal);
        foreach (DictionaryEntry e in System.Environment.GetEnvironmentVariables())
            d[(string)e.Key] = e.Value as string;
        return d;
    }
}
