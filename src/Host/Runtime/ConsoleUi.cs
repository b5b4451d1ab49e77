using Spectre.Console;

namespace NanoDet.Host.Runtime;

/// <summary>
/// The process's human-facing console: Spectre on stderr (stdout stays clean for results a user may pipe),
/// interactive (live progress bars) only when stderr is a terminal.
/// </summary>
internal static class ConsoleUi
{
    private static readonly Lazy<IAnsiConsole> Instance = new(() =>
    {
        var console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Out = new AnsiConsoleOutput(Console.Error),
            Interactive = Console.IsErrorRedirected ? InteractionSupport.No : InteractionSupport.Detect,
            Ansi = Environment.GetEnvironmentVariable("NO_COLOR") is null ? AnsiSupport.Detect : AnsiSupport.No,
        });
        // Redirected output (CI logs, files) has no width: do not wrap log lines at Spectre's default 80 columns.
        if (Console.IsErrorRedirected) console.Profile.Width = 4096;
        return console;
    });

    /// <summary>Console for logs and progress (stderr).</summary>
    public static IAnsiConsole Error => Instance.Value;

    /// <summary>True when live progress bars can be drawn.</summary>
    public static bool IsInteractive => !Console.IsErrorRedirected;
}
