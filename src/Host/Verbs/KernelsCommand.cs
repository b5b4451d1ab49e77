using System.CommandLine;
using System.Globalization;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using NanoDet.Abstractions.Data;
using NanoDet.Abstractions.Plugins;
using NanoDet.Compute.Kernels;
using NanoDet.Compute.Runtime;
using NanoDet.Host.Cli;
using NanoDet.Host.Inference;
using NanoDet.Host.Model;
using NanoDet.Host.Plugins;
using NanoDet.Host.Runtime;
using NanoDet.Inference.Errors;
using NanoDet.Inference.Geometry;
using NanoDet.Training.Data;
using Spectre.Console;
using TorchSharp;
using static TorchSharp.torch;

namespace NanoDet.Host.Verbs;

/// <summary>
/// <c>nanodet kernels</c>: what the oneDNN probe found on this machine, and the convolution kernel chosen for every
/// layer of the configured model (a training step at the configured batch and input size, and batch-1 inference),
/// with each candidate's time and error against float64.
/// </summary>
internal sealed class KernelsCommand(IConfiguration config, IPluginResolver resolver, ILoggerFactory loggers)
{
    public static Command Build(CommandRunner runner)
    {
        var reprobe = new Option<bool>("--reprobe") { Description = "Run the oneDNN probe again (children at ALL, AVX512_CORE, AVX2, SSE41) and cache the result" };
        var remeasure = new Option<bool>("--remeasure") { Description = "Measure every layer's candidates again instead of using cached choices" };
        var batch = new Option<int?>("--batch") { Description = "Training batch to measure (default: device:batchsize_per_gpu)" };
        var inferenceOnly = new Option<bool>("--inference-only") { Description = "Only the batch-1 inference shapes" };
        var cmd = new Command("kernels", "Show the oneDNN probe result and the convolution kernel chosen per layer (with times and float64 errors)");
        cmd.Options.Add(reprobe);
        cmd.Options.Add(remeasure);
        cmd.Options.Add(batch);
        cmd.Options.Add(inferenceOnly);
        cmd.SetAction((parse, ct) => runner.RunAsync<KernelsCommand>(parse, "kernels", logToFile: false, (verb, _) =>
            Task.FromResult(verb.Run(parse.GetValue(reprobe), parse.GetValue(remeasure), parse.GetValue(batch), parse.GetValue(inferenceOnly)))));
        return cmd;
    }

    private int Run(bool reprobe, bool remeasure, int? batchOverride, bool inferenceOnly)
    {
        var log = loggers.CreateLogger("NanoDet.Kernels");
        var console = ConsoleUi.Error;
        var device = DeviceSelector.Resolve(config, log);
        var onednn = LibtorchEnvironment.Applied!;
        if (reprobe)
        {
            if (onednn.Source == "environment")
                log.LogWarning("{Variable} is set ({Isa}): the probe result below is not what this process uses", LibtorchEnvironment.IsaVariable, onednn.Isa);
            onednn = OneDnnProbe.Resolve(torch.__version__, reprobe: true);
        }
        PrintProbe(onednn);

        var selector = ConvKernelSelector.Shared;
        if (device.type != DeviceType.CPU || selector.Mode != ConvKernelMode.Auto)
        {
            console.MarkupLine(Markup.Escape($"convolutions: libtorch only ({(device.type != DeviceType.CPU ? "not on the CPU" : "device:conv_kernels=libtorch")}); nothing to choose"));
            return ExitCodes.Success;
        }
        selector.IgnoreCache = remeasure;
        selector.Log = line => console.MarkupLine(Markup.Escape("  measured " + line));

        manual_seed(0);
        using var model = DetectorBuilder.Build(config, resolver);
        // The network input the loader pads the configured training input to (the pipeline owns input_size).
        var input = new DataFactory(config, resolver, log).Pipeline("data:train").Input;
        int[] size = [InputPadding.RoundUp(input.Width), InputPadding.RoundUp(input.Height)];
        int trainBatch = batchOverride ?? OptionsBinder.Bind<DeviceOptions>(config.GetSection("device")).BatchSizePerGpu;
        if (!inferenceOnly)
        {
            console.MarkupLine(Markup.Escape($"training step: batch {trainBatch}, input {size[0]}x{size[1]}"));
            model.train();
            using var scope = NewDisposeScope();
            using var images = randn(trainBatch, 3, size[1], size[0]);
            var (preds, aux) = model.ForwardTrain(images);
            var loss = preds.square().mean() + (aux is null ? zeros(1) : aux.square().mean());
            loss.backward();
        }
        console.MarkupLine(Markup.Escape($"inference: batch 1, input {size[0]}x{size[1]}"));
        model.eval();
        using (var scope = NewDisposeScope())
        using (var _ = no_grad())
        using (var image = randn(1, 3, size[1], size[0]))
            model.forward(image);

        var table = new Table().Border(TableBorder.Rounded).Title("convolution kernels (times: median ms; error: max relative vs float64)");
        table.AddColumns("call", "candidates", "choice", "why");
        foreach (var choice in selector.ChoicesInUse.OrderBy(c => c.Description.Contains(" infer", StringComparison.Ordinal)).ThenBy(c => c.Description, StringComparer.Ordinal))
        {
            var candidates = string.Join("  ", choice.Trials.Select(t =>
                $"{t.Kernel} {(t.Exact ? t.Milliseconds.ToString("F2", CultureInfo.InvariantCulture) : "-")} ({t.Error.ToString("E0", CultureInfo.InvariantCulture)})"));
            table.AddRow(Markup.Escape(choice.Description), Markup.Escape(candidates), Markup.Escape(choice.Kernel), Markup.Escape(choice.Reason));
        }
        console.Write(table);
        console.MarkupLine(Markup.Escape($"cache: {selector.Cache.Path ?? "(memory only)"}"));
        return ExitCodes.Success;
    }

    private static void PrintProbe(OneDnnProbeResult onednn)
    {
        var console = ConsoleUi.Error;
        console.MarkupLine(Markup.Escape($"oneDNN kernels up to {onednn.Isa} ({onednn.Source}): {onednn.Reason}"));
        if (onednn.Levels.Count > 0)
        {
            var table = new Table().Border(TableBorder.Rounded).Title("oneDNN probe");
            table.AddColumns("level", "exact", "worst error", "worst case");
            foreach (var l in onednn.Levels)
                table.AddRow(Markup.Escape(l.Isa), l.Exact ? "yes" : "no",
                    Markup.Escape(l.Failure ?? l.WorstError.ToString("E1", CultureInfo.InvariantCulture)), Markup.Escape(l.WorstCase));
            console.Write(table);
        }
        if (onednn.CachePath is not null) console.MarkupLine(Markup.Escape($"probe cache: {onednn.CachePath}"));
    }
}
