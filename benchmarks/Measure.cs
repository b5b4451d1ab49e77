using System.Diagnostics;

namespace NanoDet.Benchmarks;

/// <summary>Wall-clock timing with warm-up; reports median and spread, not a single run.</summary>
public static class Measure
{
    public sealed record Timing(double MedianMs, double MinMs, double MaxMs, int Runs)
    {
        public override string ToString() => $"{MedianMs:F2} ms (min {MinMs:F2}, max {MaxMs:F2}, n={Runs})";
    }

    public static Timing Time(Action action, int warmup = 3, int runs = 20)
    {
        for (int i = 0; i < warmup; i++) action();
        var ms = new double[runs];
        for (int i = 0; i < runs; i++)
        {
            var sw = Stopwatch.StartNew();
            action();
            ms[i] = sw.Elapsed.TotalMilliseconds;
        }
        Array.Sort(ms);
        return new Timing(ms[runs / 2], ms[0], ms[^1], runs);
    }

    /// <summary>A one-line description of this machine for result tables.</summary>
    public static string MachineLine()
    {
        var cpu = "unknown CPU";
        try
        {
            cpu = File.ReadLines("/proc/cpuinfo").FirstOrDefault(l => l.StartsWith("model name", StringComparison.Ordinal))?.Split(':', 2)[1].Trim() ?? cpu;
        }
        catch (IOException) { }
        return $"{cpu}, {Environment.ProcessorCount} cores, .NET {Environment.Version}";
    }
}
