using System.CommandLine;

namespace NanoDet.Host.Cli;

/// <summary>The options shared by every verb (recursive on the root command).</summary>
internal sealed class GlobalOptionSet
{
    public Option<string?> Profile { get; } = new("--profile")
    {
        Description = "Config profile: merges appsettings.<profile>.json (default: DOTNET_ENVIRONMENT)",
        Recursive = true,
    };

    public Option<string?> Config { get; } = new("--config")
    {
        Description = "NanoDet YAML or JSON config file merged over the profile",
        Recursive = true,
    };

    public Option<string[]> Set { get; } = new("--set")
    {
        Description = "Override one key, e.g. --set schedule:total_epochs=10 (repeatable; lists as [a,b])",
        Recursive = true,
        AllowMultipleArgumentsPerToken = false,
    };

    public Option<bool> Verbose { get; } = new("--verbose")
    {
        Description = "Debug logging and stack traces on errors",
        Recursive = true,
    };

    public void AddTo(Command root)
    {
        root.Options.Add(Profile);
        root.Options.Add(Config);
        root.Options.Add(Set);
        root.Options.Add(Verbose);
    }

    public GlobalArgs Read(ParseResult r) =>
        new(r.GetValue(Profile), r.GetValue(Config), r.GetValue(Set) ?? [], r.GetValue(Verbose));
}
