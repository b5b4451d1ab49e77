namespace NanoDet.Host.Cli;

/// <summary>Process exit codes (README.md#verbs).</summary>
internal static class ExitCodes
{
    public const int Success = 0;
    /// <summary>Runtime failure (bad data file, I/O, numerical abort).</summary>
    public const int Failure = 1;
    /// <summary>Usage or configuration error; also a verb whose capability is not built.</summary>
    public const int Usage = 2;
    /// <summary>Interrupted by Ctrl+C / SIGTERM after a clean shutdown.</summary>
    public const int Interrupted = 130;
}
