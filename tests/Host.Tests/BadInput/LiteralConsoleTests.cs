using Microsoft.Extensions.Logging.Abstractions;
using NanoDet.Abstractions.Data;
using NanoDet.Abstractions.Geometry;
using NanoDet.Datasets.Common;
using NanoDet.Datasets.Pipeline;
using NanoDet.Host.Datasets;
using NanoDet.Host.Runtime;
using NanoDet.Host.Tests.Cli;
using NanoDet.Inference.Errors;
using NanoDet.Inference.Geometry;
using Serilog.Events;
using Serilog.Parsing;
using Spectre.Console;

namespace NanoDet.Host.Tests.BadInput;

/// <summary>
/// Issue 17: keys, paths, values and class names reach the console literally. Spectre reads <c>[...]</c> as markup
/// and <c>:name:</c> as an emoji, so <c>data:train:count</c> used to print as <c>data🚆count</c>.
/// </summary>
public class LiteralConsoleTests
{
    /// <summary>Texts that markup would change: an emoji code inside a key, brackets, a closing tag, a bare colon pair.</summary>
    public static readonly string[] Tricky = ["data:train:count", "class [a]", ":b:", "[/]", "[red]not red[/]", "img/:rocket:/x.png", "a [[b]] c"];

    private static (IAnsiConsole Console, StringWriter Output) Console()
    {
        var output = new StringWriter();
        var console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Out = new AnsiConsoleOutput(output),
            Ansi = AnsiSupport.No,
            ColorSystem = ColorSystemSupport.NoColors,
            Interactive = InteractionSupport.No,
        });
        console.Profile.Width = 4096;
        return (console, output);
    }

    [Fact]
    public void Log_lines_print_keys_paths_and_values_literally_at_every_level()
    {
        var (console, output) = Console();
        var sink = new SpectreLogSink(console, "{Level:u3} {Message:lj}{NewLine}");
        var parser = new MessageTemplateParser();
        foreach (var level in new[] { LogEventLevel.Information, LogEventLevel.Warning, LogEventLevel.Error, LogEventLevel.Debug })
            foreach (var t in Tricky)
                sink.Emit(new LogEvent(DateTimeOffset.Now, level, null, parser.Parse("{Key}: not used"),
                    [new LogEventProperty("Key", new ScalarValue(t))]));
        var lines = output.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(4 * Tricky.Length, lines.Length);
        for (int i = 0; i < lines.Length; i++)
            Assert.EndsWith(" " + Tricky[i % Tricky.Length] + ": not used", lines[i].TrimEnd());
        Assert.DoesNotContain("🚆", output.ToString());
    }

    [Fact]
    public void Data_check_tables_show_class_names_and_skip_details_literally()
    {
        var (console, output) = Console();
        var names = new[] { "[a]", ":b:", ":train:" };
        var dir = TestPaths.NewTempDir("literal");
        var q = Quad.FromArray([10, 10, 10, 40, 60, 40, 60, 10]);
        var records = names.Select((_, i) => new ImageRecord(i + 1, $"{i}.png", Path.Combine(dir, $"{i}.png"), 100, 80,
            [new Annotation(i, q.Bounds(), q)])).ToArray();
        var report = new DatasetReport("set:train:x", 3, 3, [new SkippedItem("ann/[x]:rocket:.xml:3", "unknown class", "'[bold]:train:'", false)]);
        var ds = new LoadedDataset(ClassTable.FromNames(names), records, report);
        var pipeline = new NanoDetSamplePipeline(new InputSpec(64, 64, false), new PipelineSettings());

        Assert.Equal(0, DataCheck.Run(ds, pipeline, new CornerReachRule([8, 16, 32, 64], 7, CornerEncoding.Quadrant, 0), console));

        var text = output.ToString();
        foreach (var n in names) Assert.Contains($" {n} ", text);
        Assert.Contains("set:train:x", text);
        Assert.Contains("ann/[x]:rocket:.xml:3: '[bold]:train:'", text);
        Assert.DoesNotContain("🚆", text);
        Assert.DoesNotContain("🚀", text);
    }

    [Fact]
    public void A_config_key_warning_from_the_real_executable_keeps_its_colons()
    {
        var cwd = TestPaths.NewTempDir("cli-literal");
        var r = CliProcess.Run(cwd, "data", "check", "--set", "data:train:count=4", "--set", $"data:train:cache_dir={Path.Combine(cwd, "c")}",
            "--set", "data:train:zz_unused=1");
        Assert.True(r.ExitCode == 0, r.All);
        Assert.Contains("data:train:zz_unused: not used by", r.StdErr);
        Assert.DoesNotContain("🚆", r.All);
    }
}
