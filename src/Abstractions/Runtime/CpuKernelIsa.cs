using System.Runtime.InteropServices;

namespace NanoDet.Abstractions.Runtime;

/// <summary>
/// Caps the instruction set of libtorch's oneDNN CPU kernels before their first use.
/// </summary>
/// <remarks>
/// On the AMD EPYC (AVX-512) virtual machine this project is built and tested on, libtorch's oneDNN convolution kernels
/// return wrong values whenever a channel count is not a multiple of the vector width: with the AVX-512 kernels,
/// channels-last 1×1 convolutions with 33–45, 65–80, 97–112… outputs (every head's last conv) and NaN gradients in the
/// aux head on the first training step; with the AVX and AVX2 kernels, dense 3×3 convolutions with 29, 58 or 116 inputs
/// (forward) or 29, 58, 99, 106 or 116 outputs (input gradient, e.g. the aux head's class conv). The SSE4.1 kernels
/// are exact on every case (<c>tests/Abstractions.Tests/CpuKernelTests.cs</c> against float64) and cost about 20 % of
/// training throughput there, so they are the default. On hardware where that test passes with
/// <c>ONEDNN_MAX_CPU_ISA=ALL</c>, set that for full speed. oneDNN reads the variable once, when it first generates a
/// kernel, so this must run before any convolution; a value the user already set is kept.
/// </remarks>
public static class CpuKernelIsa
{
    public const string Variable = "ONEDNN_MAX_CPU_ISA";

    /// <summary>The cap applied when the user has not set one.</summary>
    public const string Default = "SSE41";

    private static readonly object Gate = new();
    private static string? _applied;

    /// <summary>The value in force after <see cref="Apply"/>, and whether it came from the user's environment.</summary>
    public static (string Value, bool FromUser) Apply()
    {
        lock (Gate)
        {
            var current = Environment.GetEnvironmentVariable(Variable);
            if (!string.IsNullOrWhiteSpace(current)) return (current, _applied != current);
            if (!OperatingSystem.IsWindows() && setenv(Variable, Default, 0) != 0)
                throw new InvalidOperationException($"could not set {Variable} (errno {Marshal.GetLastPInvokeError()})");
            Environment.SetEnvironmentVariable(Variable, Default);
            _applied = Default;
            return (Default, false);
        }
    }

    [DllImport("libc", SetLastError = true)]
    private static extern int setenv(string name, string value, int overwrite);
}
