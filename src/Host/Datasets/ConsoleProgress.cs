using NanoDet.Abstractions.Plugins;
using NanoDet.Host.Runtime;
using NanoDet.Inference.Errors;
using Spectre.Console;

namespace NanoDet.Host.Datasets;

/// <summary>
/// Runs work under a Spectre progress display fed by <see cref="PluginProgress"/>: every task name a plugin reports
/// becomes one bar. Plugins stay free of console code.
/// </summary>
internal static class ConsoleProgress
{
    public static T Run<T>(Func<IProgress<ProgressUpdate>, T> work)
    {
        T result = default!;
        AnsiConsole.Progress()
            .AutoClear(false)
            .Columns(new LiteralDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn(), new RemainingTimeColumn())
            .Start(ctx =>
            {
                var sink = new Sink(ctx);
                using (PluginProgress.Listen(sink)) result = work(sink);
                sink.CompleteAll();
            });
        return result;
    }

    private sealed class Sink(ProgressContext ctx) : IProgress<ProgressUpdate>
    {
        private readonly Dictionary<string, ProgressTask> _tasks = new(StringComparer.Ordinal);

        public void Report(ProgressUpdate value)
        {
            lock (_tasks)
            {
                if (!_tasks.TryGetValue(value.Task, out var t))
                {
                    t = ctx.AddTask(value.Task, autoStart: true, maxValue: Math.Max(1, value.Total));
                    _tasks[value.Task] = t;
                }
                if (value.Total > 0) t.MaxValue = value.Total;
                t.Value = Math.Min(value.Done, t.MaxValue);
            }
        }

        public void CompleteAll()
        {
            lock (_tasks)
                foreach (var t in _tasks.Values) t.Value = t.MaxValue;
        }
    }
}
