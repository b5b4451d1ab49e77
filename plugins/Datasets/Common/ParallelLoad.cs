using System.Runtime.ExceptionServices;
using NanoDet.Abstractions.Plugins;
using NanoDet.Inference.Errors;

namespace NanoDet.Datasets.Common;

/// <summary>Runs a per-file parse on all cores, keeps results in input order, reports progress.</summary>
public static class ParallelLoad
{
    /// <summary>
    /// Results of <paramref name="body"/> for 0..count-1, in index order (nulls dropped). When bodies throw
    /// (strict mode), the exception of the lowest index is rethrown as is, so the error is deterministic.
    /// </summary>
    public static IReadOnlyList<T> Run<T>(int count, Func<int, T?> body, string task) where T : class
    {
        var results = new T?[count];
        var errors = new Exception?[count];
        long done = 0;
        long step = Math.Max(1, count / 100);
        var options = new ParallelOptions { MaxDegreeOfParallelism = Math.Max(1, Environment.ProcessorCount) };
        Parallel.For(0, count, options, (i, state) =>
        {
            try
            {
                results[i] = body(i);
            }
            catch (Exception e)
            {
                errors[i] = e;
                state.Break(); // iterations below i still run, so the lowest failing index is found
            }
            long d = Interlocked.Increment(ref done);
            if (d % step == 0 || d == count) PluginProgress.Report(task, d, count);
        });
        var first = errors.FirstOrDefault(e => e is not null);
        if (first is not null) ExceptionDispatchInfo.Capture(first).Throw();
        return results.Where(r => r is not null).Select(r => r!).ToArray();
    }
}
