using System.CommandLine;
using NanoDet.Host.Cli;

namespace NanoDet.Host.Verbs;

/// <summary><c>nanodet eval</c> (capability not built yet: exits 2).</summary>
public static class EvalCommand
{
    public static Command Build(CommandRunner runner)
    {
        _ = runner;
        var cmd = new Command("eval", "(not available yet)");
        cmd.SetAction(_ => CommandRunner.NotAvailable("eval"));
        return cmd;
    }
}
