namespace NanoDet.Benchmarks;

/// <summary>One benchmark, selected by <see cref="Name"/> on the command line; discovered by reflection.</summary>
public interface IBenchmark
{
    /// <summary>Command-line name, e.g. <c>network</c>.</summary>
    string Name { get; }

    /// <summary>One line for <c>list</c>.</summary>
    string Description { get; }

    /// <summary>Runs and prints a results table (markdown) to stdout; returns the exit code.</summary>
    int Run(IReadOnlyList<string> args);
}
