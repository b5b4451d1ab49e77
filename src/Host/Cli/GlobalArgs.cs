namespace NanoDet.Host.Cli;

/// <summary>Options every verb accepts.</summary>
/// <param name="Profile">--profile (else DOTNET_ENVIRONMENT).</param>
/// <param name="ConfigFile">--config FILE.</param>
/// <param name="Sets">--set key=value, in order.</param>
/// <param name="Verbose">--verbose: debug logging and stack traces on errors.</param>
internal sealed record GlobalArgs(string? Profile, string? ConfigFile, IReadOnlyList<string> Sets, bool Verbose);
