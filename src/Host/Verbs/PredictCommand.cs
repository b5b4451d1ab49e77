using System.CommandLine;
using NanoDet.Host.Cli;

namespace NanoDet.Host.Verbs;

/// <summary><c>nanodet predict</c> (capability not built yet: exits 2).</summary>
public static class PredictCommand
{
    public static Command Build(CommandRunner runner)
    {
        _ = runner;
        var cmd = new Command("predict", "(not available yet)");
        cmd.SetAction(_ => CommandRunner.NotAvailable("predict"));
        return cmd;
    }
}
