using System.Security.Cryptography;
using System.Text;

namespace NanoDet.Compute.Kernels;

/// <summary>
/// What a kernel measurement depends on: the CPU (model name and feature flags from <c>/proc/cpuinfo</c>, or the
/// processor identifier elsewhere) and the libtorch build. A cached probe or kernel choice is reused only on the same
/// fingerprint, so a new CPU or a libtorch upgrade re-measures.
/// </summary>
public sealed record MachineFingerprint(string Cpu, string CpuFlags, string Libtorch)
{
    /// <summary>Reads this machine's fingerprint; <paramref name="libtorchVersion"/> is <c>torch.__version__</c>.</summary>
    public static MachineFingerprint Current(string libtorchVersion)
    {
        string? model = null, flags = null;
        try
        {
            if (File.Exists("/proc/cpuinfo"))
            {
                foreach (var line in File.ReadLines("/proc/cpuinfo"))
                {
                    var colon = line.IndexOf(':');
                    if (colon < 0) continue;
                    var key = line[..colon].Trim();
                    var value = line[(colon + 1)..].Trim();
                    if (model is null && key == "model name") model = value;
                    else if (flags is null && key is "flags" or "Features") flags = value;
                    if (model is not null && flags is not null) break;
                }
            }
        }
        catch (IOException)
        {
        }
        model ??= Environment.GetEnvironmentVariable("PROCESSOR_IDENTIFIER")
                  ?? System.Runtime.InteropServices.RuntimeInformation.ProcessArchitecture.ToString();
        return new MachineFingerprint(model, flags ?? "", libtorchVersion);
    }

    /// <summary>Short stable hash of every field, used in cache file names.</summary>
    public string Hash(params string[] extra)
    {
        var text = string.Join('\n', [Cpu, CpuFlags, Libtorch, .. extra]);
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)))[..16];
    }
}
