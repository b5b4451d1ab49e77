using System.CommandLine;
using NanoDet.Host.Cli;

namespace NanoDet.Host.Verbs;

/// <summary><c>nanodet data</c> (capability not built yet: exits 2).</summary>
public static class DataCommand
{
    public static Command Build(CommandRunner runner)
    {
        _ = runner;
        var cmd = new Command("data", "(not available yet)");
        cmd.SetAction(_ => CommandRunner.NotAvailable("data"));
        return cmd;
    }
}
