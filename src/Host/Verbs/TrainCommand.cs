using System.CommandLine;
using NanoDet.Host.Cli;

namespace NanoDet.Host.Verbs;

/// <summary><c>nanodet train</c> (capability not built yet: exits 2).</summary>
public static class TrainCommand
{
    public static Command Build(CommandRunner runner)
    {
        _ = runner;
        var cmd = new Command("train", "(not available yet)");
        cmd.SetAction(_ => CommandRunner.NotAvailable("train"));
        return cmd;
    }
}
