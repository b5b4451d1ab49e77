using Serilog.Core;
using Serilog.Events;
using Serilog.Formatting.Display;
using Spectre.Console;

namespace NanoDet.Host.Runtime;

/// <summary>
/// Serilog console sink that writes through Spectre's console, so log lines and live progress bars share one
/// writer and a line printed during training appears above the bar instead of tearing it. Lines are written as
/// literal text (<see cref="ConsoleText"/>): keys, paths and values in messages are never read as markup or emoji.
/// </summary>
internal sealed class SpectreLogSink(IAnsiConsole console, string outputTemplate) : ILogEventSink
{
    private readonly MessageTemplateTextFormatter _formatter = new(outputTemplate);
    private readonly object _gate = new();

    public void Emit(LogEvent logEvent)
    {
        using var w = new StringWriter();
        _formatter.Format(logEvent, w);
        var text = w.ToString().TrimEnd('\r', '\n');
        Style? style = logEvent.Level switch
        {
            >= LogEventLevel.Error => new Style(Color.Red),
            LogEventLevel.Warning => new Style(Color.Yellow),
            LogEventLevel.Debug or LogEventLevel.Verbose => new Style(Color.Grey),
            _ => (Style?)null,
        };
        lock (_gate)
            ConsoleText.Line(console, text, style);
    }
}
