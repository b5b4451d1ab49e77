using System.CommandLine;
using Microsoft.Extensions.DependencyInjection;
using NanoDet.Host.Cli;
using NanoDet.Host.Plugins;
using NanoDet.Host.Runtime;
using Spectre.Console;

namespace NanoDet.Host.Verbs;

/// <summary><c>nanodet plugins</c>: the registry as a table (kind, name, assembly, version).</summary>
internal static class PluginsCommand
{
    public static Command Build(CommandRunner runner)
    {
        var paths = new Option<bool>("--paths") { Description = "Also show each assembly's file path" };
        var cmd = new Command("plugins", "List discovered plugins: kind, name, assembly, version");
        cmd.Options.Add(paths);
        cmd.SetAction((parse, ct) => runner.RunAsync(parse, "plugins", logToFile: false, (services, _) =>
        {
            var catalog = services.GetRequiredService<PluginCatalog>();
            var table = new Table().Border(TableBorder.Rounded);
            table.AddColumns("kind", "name", "assembly", "version");
            if (parse.GetValue(paths)) table.AddColumn("path");
            foreach (var p in catalog.Plugins)
            {
                var row = new List<string> { p.Kind, p.Name, p.AssemblyName, p.Version };
                if (parse.GetValue(paths)) row.Add(p.Location);
                table.Row(row.ToArray());
            }
            AnsiConsole.Write(table);
            return Task.FromResult(ExitCodes.Success);
        }));
        return cmd;
    }
}
