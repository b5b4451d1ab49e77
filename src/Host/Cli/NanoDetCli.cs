using System.CommandLine;
using NanoDet.Host.Verbs;

namespace NanoDet.Host.Cli;

/// <summary>The command tree: <c>train | eval | predict | export | synth | data | plugins | kernels</c>.</summary>
internal static class NanoDetCli
{
    public static RootCommand Build()
    {
        var globals = new GlobalOptionSet();
        var runner = new CommandRunner(globals);
        var root = new RootCommand("NanoDet-4P: train, evaluate, run and export NanoDet-Plus detectors with four corner points");
        globals.AddTo(root);
        root.Subcommands.Add(TrainCommand.Build(runner));
        root.Subcommands.Add(EvalCommand.Build(runner));
        root.Subcommands.Add(PredictCommand.Build(runner));
        root.Subcommands.Add(ExportCommand.Build(runner));
        root.Subcommands.Add(SynthCommand.Build(runner));
        root.Subcommands.Add(DataCommand.Build(runner));
        root.Subcommands.Add(PluginsCommand.Build(runner));
        root.Subcommands.Add(KernelsCommand.Build(runner));
        return root;
    }

    /// <summary>Parses and runs; parse errors exit 2 (usage), unlike System.CommandLine's default 1.</summary>
    public static async Task<int> RunAsync(string[] args)
    {
        var root = Build();
        var parse = root.Parse(args);
        if (parse.Errors.Count > 0)
        {
            foreach (var e in parse.Errors) await Console.Error.WriteLineAsync($"error: {e.Message}");
            await Console.Error.WriteLineAsync("run 'nanodet --help' for usage");
            return ExitCodes.Usage;
        }
        return await parse.InvokeAsync(new InvocationConfiguration { ProcessTerminationTimeout = null });
    }
}
