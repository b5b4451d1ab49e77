using System.CommandLine;
using NanoDet.Host.Cli;

namespace NanoDet.Host.Verbs;

/// <summary><c>nanodet synth</c> (capability not built yet: exits 2).</summary>
public static class SynthCommand
{
    public static Command Build(CommandRunner runner)
    {
        _ = runner;
        var cmd = new Command("synth", "(not available yet)");
        cmd.SetAction(_ => CommandRunner.NotAvailable("synth"));
        return cmd;
    }
}
