using System.CommandLine;
using NanoDet.Host.Cli;

namespace NanoDet.Host.Verbs;

/// <summary><c>nanodet export</c> (capability not built yet: exits 2).</summary>
public static class ExportCommand
{
    public static Command Build(CommandRunner runner)
    {
        _ = runner;
        var cmd = new Command("export", "(not available yet)");
        cmd.SetAction(_ => CommandRunner.NotAvailable("export"));
        return cmd;
    }
}
