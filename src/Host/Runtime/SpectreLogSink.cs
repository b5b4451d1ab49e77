using Serilog.Core;
using Serilog.Events;
using Serilog.Formatting.Display;
using Spectre.Console;

namespace NanoDet.Host.Runtime;

/// <summary>
/// Serilog console sink that writes through Spectre's console, so log lines and live progress bars share one
/// writer and a line printed during training appears above the bar instead of tearing it.
/// </summary>
public sealed class SpectreLogSink(IAnsiConsole console, string outputTemplate) : ILogEventSink
{
    private readonly MessageTemplateTextFormatter _formatter = new(outputTemplate);
    private readonly object _gate = new();

    public void Emit(LogEvent logEvent)
    {
        using var w = new StringWriter();
        _formatter.Format(logEvent, w);
        var text = Markup.Escape(w.ToString().TrimEnd('\r', '\n'));
        var style = logEvent.Level switch
        {
            >= LogEventLevel.Error => "red",
            LogEventLevel.Warning => "yellow",
            LogEventLevel.Debug or LogEventLevel.Verbose => "grey",
            _ => null,
        };
        lock (_gate)
            console.MarkupLine(style is null ? text : $"[{style}]{text}[/]");
    }
}
