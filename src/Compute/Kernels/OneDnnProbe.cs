using System.Diagnostics;
using System.Text.Json;
using NanoDet.Compute.Runtime;

namespace NanoDet.Compute.Kernels;

/// <summary>
/// Finds the highest oneDNN instruction-set level (<c>ONEDNN_MAX_CPU_ISA</c>) whose float32 convolutions match float64
/// on this machine, by test: for each level from the top (ALL, AVX512_CORE, AVX2, SSE41) a child process, started with
/// that level in its environment (oneDNN reads it once, before its first kernel), runs <see cref="OneDnnProbeCases"/>
/// — forward, input and weight gradients of the layer shapes this product uses and of channel counts that are not a
/// multiple of the vector width — against float64 and reports the worst error. The first exact level wins. The result
/// is cached per CPU (model and flags) and libtorch version under the user's cache folder, so every verb, test and
/// benchmark reuses it, and a new CPU or libtorch re-probes. A user's own <c>ONEDNN_MAX_CPU_ISA</c> always wins.
/// </summary>
public static class OneDnnProbe
{
    /// <summary>Levels tried, best first. SSE41 is also the fallback when no probe can run.</summary>
    public static readonly IReadOnlyList<string> Levels = ["ALL", "AVX512_CORE", "AVX2", "SSE41"];

    /// <summary>The level used when no probe could run (exact on every machine this product was tested on).</summary>
    public const string FallbackIsa = "SSE41";

    /// <summary>The command-line marker that turns a process into a probe child (<c>__onednn-probe LEVEL</c>).</summary>
    public const string ChildVerb = "__onednn-probe";

    /// <summary>Result line prefix written by a child.</summary>
    private const string ResultPrefix = "onednn-probe-result ";

    /// <summary>
    /// How to start a probe child for a level. The default runs <c>NanoDet.KernelProbe.dll</c> from the application
    /// folder with the dotnet host; the <c>nanodet</c> executable sets this to run itself (works self-contained too).
    /// </summary>
    public static Func<string, ProcessStartInfo?> ChildLauncher { get; set; } = DefaultLauncher;

    /// <summary>
    /// Told one line when a probe actually runs (seconds of work on a machine's first use); standard error by default,
    /// since this happens before any logging is set up.
    /// </summary>
    public static Action<string> Notice { get; set; } = line => Console.Error.WriteLine(line);

    /// <summary>Seconds a child may take before it counts as failed.</summary>
    public static int ChildTimeoutSeconds { get; set; } = 120;

    /// <summary>
    /// The cached result for this machine and libtorch, or a new probe (children started, cached); null when the
    /// user set the level. Parallel processes wait for one probe through a lock on the cache file.
    /// </summary>
    public static OneDnnProbeResult Resolve(string libtorchVersion, bool reprobe = false)
    {
        var path = CachePath(MachineFingerprint.Current(libtorchVersion));
        return UserCacheFolder.WithLock(path, TimeSpan.FromSeconds(ChildTimeoutSeconds * Levels.Count), () =>
        {
            if (!reprobe && TryRead(path) is { } cached) return cached with { Source = "cached probe", CachePath = path };
            Notice($"checking oneDNN's CPU convolution kernels against float64 (once per CPU and libtorch version; result cached in {path})");
            var result = Probe();
            if (result.Source == "probe")
            {
                try
                {
                    AtomicFile.WriteAllText(path, JsonSerializer.Serialize(result with { CachePath = null }, Json));
                }
                catch (Exception e) when (e is IOException or UnauthorizedAccessException)
                {
                    return result with { Reason = result.Reason + $" (not cached: {e.Message})" };
                }
            }
            return result with { CachePath = path };
        });
    }

    /// <summary>The probe's cache file for a machine fingerprint.</summary>
    public static string CachePath(MachineFingerprint fingerprint) =>
        Path.Combine(UserCacheFolder.Resolve("kernels"), $"onednn-{fingerprint.Hash()}.json");

    /// <summary>Starts one probe child for <paramref name="isa"/> and returns what it found.</summary>
    public static OneDnnLevelResult RunChildFor(string isa) => RunChild(isa);

    /// <summary>Runs the children level by level until one is exact.</summary>
    public static OneDnnProbeResult Probe()
    {
        var tried = new List<OneDnnLevelResult>();
        foreach (var isa in Levels)
        {
            var level = RunChild(isa);
            tried.Add(level);
            if (level.Failure is not null && tried.Count == 1 && level.Failure.StartsWith("cannot start", StringComparison.Ordinal))
                return new OneDnnProbeResult(FallbackIsa, "fallback", $"the probe could not run ({level.Failure})", tried, null);
            if (level.Exact)
            {
                var wrong = tried.Where(t => !t.Exact).Select(t => t.Failure is null
                    ? $"{t.Isa} wrong ({t.WorstCase}: error {t.WorstError:E1})" : $"{t.Isa} failed ({t.Failure})");
                var reason = tried.Count == 1
                    ? $"{isa}: every probe convolution matched float64 (worst error {level.WorstError:E1})"
                    : $"{string.Join("; ", wrong)}; {isa} exact (worst error {level.WorstError:E1})";
                return new OneDnnProbeResult(isa, "probe", reason, tried, null);
            }
        }
        return new OneDnnProbeResult(FallbackIsa, "probe", "no level was exact; using " + FallbackIsa + " and per-layer checks", tried, null);
    }

    private static OneDnnLevelResult RunChild(string isa)
    {
        ProcessStartInfo? psi;
        try
        {
            psi = ChildLauncher(isa);
        }
        catch (Exception e) when (e is IOException or InvalidOperationException or UnauthorizedAccessException)
        {
            psi = null;
        }
        if (psi is null) return new OneDnnLevelResult(isa, false, double.NaN, "", "cannot start: no probe executable found");
        psi.RedirectStandardOutput = true;
        psi.RedirectStandardError = true;
        psi.UseShellExecute = false;
        psi.Environment[LibtorchEnvironment.IsaVariable] = isa;
        try
        {
            using var process = Process.Start(psi)!;
            var stdout = process.StandardOutput.ReadToEndAsync();
            var stderr = process.StandardError.ReadToEndAsync();
            if (!process.WaitForExit(ChildTimeoutSeconds * 1000))
            {
                process.Kill(entireProcessTree: true);
                return new OneDnnLevelResult(isa, false, double.NaN, "", $"timed out after {ChildTimeoutSeconds} s");
            }
            var line = stdout.Result.Split('\n').FirstOrDefault(l => l.StartsWith(ResultPrefix, StringComparison.Ordinal));
            if (line is null)
            {
                var why = (stderr.Result + stdout.Result).Trim().ReplaceLineEndings(" ");
                return new OneDnnLevelResult(isa, false, double.NaN, "",
                    $"exit code {process.ExitCode}{(why.Length > 0 ? ": " + why[..Math.Min(200, why.Length)] : "")}");
            }
            return JsonSerializer.Deserialize<OneDnnLevelResult>(line[ResultPrefix.Length..], Json)!;
        }
        catch (Exception e) when (e is System.ComponentModel.Win32Exception or IOException or JsonException)
        {
            return new OneDnnLevelResult(isa, false, double.NaN, "", $"cannot start: {e.Message}");
        }
    }

    /// <summary>
    /// The child's work (call from a process whose <c>ONEDNN_MAX_CPU_ISA</c> is the level under test, before any
    /// convolution): runs the probe cases and writes one result line. Returns the process exit code.
    /// </summary>
    public static int RunAsChild(string isa, TextWriter output)
    {
        var (worst, worstCase) = OneDnnProbeCases.Worst();
        var level = new OneDnnLevelResult(isa, worst < ConvKernelSelector.Tolerance, worst, worstCase, null);
        output.WriteLine(ResultPrefix + JsonSerializer.Serialize(level, Json));
        return 0;
    }

    private static OneDnnProbeResult? TryRead(string path)
    {
        try
        {
            if (!File.Exists(path)) return null;
            var result = JsonSerializer.Deserialize<OneDnnProbeResult>(File.ReadAllText(path), Json);
            return result is { Isa.Length: > 0 } && Levels.Contains(result.Isa) ? result : null;
        }
        catch (Exception e) when (e is JsonException or IOException or NotSupportedException)
        {
            return null;
        }
    }

    private static ProcessStartInfo? DefaultLauncher(string isa)
    {
        var dll = Path.Combine(AppContext.BaseDirectory, "NanoDet.KernelProbe.dll");
        if (!File.Exists(dll)) return null;
        var psi = new ProcessStartInfo(DotnetHost());
        psi.ArgumentList.Add(dll);
        psi.ArgumentList.Add(ChildVerb);
        psi.ArgumentList.Add(isa);
        return psi;
    }

    /// <summary>The dotnet host: DOTNET_HOST_PATH (set by the SDK), this process when it is dotnet, else PATH.</summary>
    private static string DotnetHost()
    {
        var fromSdk = Environment.GetEnvironmentVariable("DOTNET_HOST_PATH");
        if (!string.IsNullOrWhiteSpace(fromSdk) && File.Exists(fromSdk)) return fromSdk;
        var self = Environment.ProcessPath;
        if (self is not null && Path.GetFileNameWithoutExtension(self).Equals("dotnet", StringComparison.OrdinalIgnoreCase)) return self;
        return OperatingSystem.IsWindows() ? "dotnet.exe" : "dotnet";
    }

    private static readonly JsonSerializerOptions Json = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        NumberHandling = System.Text.Json.Serialization.JsonNumberHandling.AllowNamedFloatingPointLiterals,
        WriteIndented = false,
    };
}
