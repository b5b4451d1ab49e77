using NanoDet.Inference.Errors;

namespace NanoDet.Abstractions.Plugins;

/// <summary>
/// Ambient progress channel for long plugin steps that run inside a factory (generating a synthetic dataset,
/// parsing thousands of annotation files). The host listens around the call and draws a progress bar; with no
/// listener reports go nowhere, so plugins should also log. Flows with the execution context (AsyncLocal).
/// </summary>
public static class PluginProgress
{
    private static readonly AsyncLocal<IProgress<ProgressUpdate>?> Current = new();

    /// <summary>Routes reports made on this execution context to <paramref name="sink"/> until disposed.</summary>
    public static IDisposable Listen(IProgress<ProgressUpdate> sink)
    {
        var previous = Current.Value;
        Current.Value = sink;
        return new Restore(previous);
    }

    /// <summary>True when someone listens (a plugin may then skip its own periodic log lines).</summary>
    public static bool IsListened => Current.Value is not null;

    /// <summary>Reports progress; safe to call from any thread that inherited the context.</summary>
    public static void Report(string task, long done, long total) => Current.Value?.Report(new ProgressUpdate(task, done, total));

    private sealed class Restore(IProgress<ProgressUpdate>? previous) : IDisposable
    {
        public void Dispose() => Current.Value = previous;
    }
}
