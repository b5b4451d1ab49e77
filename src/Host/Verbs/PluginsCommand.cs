using System.CommandLine;
using NanoDet.Host.Cli;
using NanoDet.Host.Plugins;
using NanoDet.Host.Runtime;
using Spectre.Console;

namespace NanoDet.Host.Verbs;

/// <summary><c>nanodet plugins</c>: the registry as a table (kind, name, assembly, version).</summary>
internal sealed class PluginsCommand(PluginCatalog catalog)
{
    public static Command Build(CommandRunner runner)
    {
        var paths = new Option<bool>("--paths") { Description = "Also show each assembly's file path" };
        var cmd = new Command("plugins", "List discovered plugins: kind, name, assembly, version");
        cmd.Options.Add(paths);
        cmd.SetAction((parse, ct) => runner.RunAsync<PluginsCommand>(parse, "plugins", logToFile: false,
            (verb, _) => Task.FromResult(verb.Run(parse.GetValue(paths)))));
        return cmd;
    }

    private int Run(bool showPaths)
    {
        var table = new Table().Border(TableBorder.Rounded);
        table.AddColumns("kind", "name", "assembly", "version");
        if (showPaths) table.AddColumn("path");
        foreach (var p in catalog.Plugins)
        {
            var row = new List<string> { p.Kind, p.Name, p.AssemblyName, p.Version };
            if (showPaths) row.Add(p.Location);
            table.Row(row.ToArray());
        }
        AnsiConsole.Write(table);
        return ExitCodes.Success;
    }
}
