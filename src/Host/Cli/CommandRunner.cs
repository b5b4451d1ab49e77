using System.CommandLine;
using System.Runtime.InteropServices;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using NanoDet.Abstractions.Plugins;
using NanoDet.Inference.Errors;

namespace NanoDet.Host.Cli;

/// <summary>
/// Runs one verb: builds the host, wires Ctrl+C and SIGTERM to a cancellation token (the verb decides how to
/// stop cleanly), and maps failures to one-line errors and exit codes.
/// </summary>
internal sealed class CommandRunner(GlobalOptionSet globals)
{
    public GlobalOptionSet Globals { get; } = globals;

    /// <summary>
    /// Runs a verb inside a host built for it: the host resolves <typeparamref name="TVerb"/> (a verb service whose
    /// constructor takes what it needs) and <paramref name="body"/> calls it.
    /// </summary>
    /// <param name="parse">The parsed command line (global options are read from it).</param>
    /// <param name="verb">Verb name (log file name).</param>
    /// <param name="logToFile">Also log to a file under save_dir.</param>
    /// <param name="body">Calls the verb service; returns the exit code.</param>
    /// <param name="embeddedFrom">Optional: names the checkpoint whose embedded config joins the configuration.</param>
    public Task<int> RunAsync<TVerb>(ParseResult parse, string verb, bool logToFile,
        Func<TVerb, CancellationToken, Task<int>> body, Func<IConfiguration, string?>? embeddedFrom = null) where TVerb : notnull =>
        RunAsync(parse, verb, logToFile, (services, token) => body(services.GetRequiredService<TVerb>(), token), embeddedFrom);

    /// <summary>Runs <paramref name="body"/> inside a host built for <paramref name="verb"/>.</summary>
    /// <param name="parse">The parsed command line (global options are read from it).</param>
    /// <param name="verb">Verb name (log file name).</param>
    /// <param name="logToFile">Also log to a file under save_dir.</param>
    /// <param name="body">The verb's work; returns the exit code.</param>
    /// <param name="embeddedFrom">Optional: names the checkpoint whose embedded config joins the configuration.</param>
    private async Task<int> RunAsync(ParseResult parse, string verb, bool logToFile,
        Func<IServiceProvider, CancellationToken, Task<int>> body, Func<IConfiguration, string?>? embeddedFrom = null)
    {
        var args = Globals.Read(parse);
        using var cts = new CancellationTokenSource();
        using var sigint = PosixSignalRegistration.Create(PosixSignal.SIGINT, Stop);
        using var sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, Stop);
        try
        {
            using var host = NanoDetHostFactory.Build(args, verb, logToFile, embeddedFrom);
            return await body(host.Services, cts.Token);
        }
        catch (ConfigurationException e)
        {
            return Fail(args, e, ExitCodeFor(e));
        }
        catch (OperationCanceledException) when (cts.IsCancellationRequested)
        {
            await Console.Error.WriteLineAsync("interrupted");
            return ExitCodes.Interrupted;
        }
        catch (Exception e)
        {
            return Fail(args, e, ExitCodeFor(e));
        }
        finally
        {
            await Serilog.Log.CloseAndFlushAsync();
        }

        void Stop(PosixSignalContext ctx)
        {
            if (cts.IsCancellationRequested) return; // a second signal: default handling terminates
            ctx.Cancel = true;
            Console.Error.WriteLine($"{ctx.Signal}: stopping after the current step (send again to abort)");
            cts.Cancel();
        }
    }

    /// <summary>The exit code a failure ends a verb with: 2 for configuration and usage errors, else 1.</summary>
    public static int ExitCodeFor(Exception e) => e is ConfigurationException ? ExitCodes.Usage : ExitCodes.Failure;

    private static int Fail(GlobalArgs args, Exception e, int code)
    {
        var message = e.Message.ReplaceLineEndings(" ");
        Console.Error.WriteLine($"error: {message}");
        if (args.Verbose) Console.Error.WriteLine(e.ToString());
        return code;
    }
}
