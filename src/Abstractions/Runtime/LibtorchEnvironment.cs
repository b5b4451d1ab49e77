using System.Runtime.InteropServices;

namespace NanoDet.Abstractions.Runtime;

/// <summary>
/// libtorch settings that must be made around its first use: the instruction set of oneDNN's CPU kernels
/// (<c>ONEDNN_MAX_CPU_ISA</c>, before the first convolution) and NNPACK (off, after libtorch is loaded).
/// </summary>
/// <remarks>
/// <para>
/// On the AMD EPYC (AVX-512) virtual machine this project is built and tested on, libtorch's oneDNN convolution kernels
/// return wrong values whenever a channel count is not a multiple of the vector width: with the AVX-512 kernels,
/// channels-last 1×1 convolutions with 33–45, 65–80, 97–112… outputs (every head's last conv) and NaN gradients in the
/// aux head on the first training step; with the AVX and AVX2 kernels, dense 3×3 convolutions with 29, 58 or 116 inputs
/// (forward) or 29, 58, 99, 106 or 116 outputs (input gradient, e.g. the aux head's class conv). The SSE4.1 kernels
/// are exact on every case (<c>tests/Abstractions.Tests/CpuKernelTests.cs</c> against float64), so they are the
/// default. On hardware where that test passes with <c>ONEDNN_MAX_CPU_ISA=ALL</c>, set that for full speed. oneDNN
/// reads the variable when it first generates a kernel, so this must run before any convolution.
/// </para>
/// <para>
/// For batch-1 convolutions oneDNN does not take, libtorch asks whether NNPACK is available before it checks the batch
/// size NNPACK needs (16 or more, which oneDNN takes anyway). Where NNPACK cannot initialise (the same machine), every
/// such call prints "Could not initialize NNPACK! Reason: Unsupported hardware." — 215 lines for five images in
/// <c>predict</c> — and <c>TORCH_CPP_LOG_LEVEL</c> does not silence it. <see cref="DisableNnpack"/> turns NNPACK off
/// through libtorch's own switch (<c>torch.backends.nnpack.enabled = False</c> in Python), which TorchSharp does not
/// expose.
/// </para>
/// </remarks>
public static class LibtorchEnvironment
{
    public const string IsaVariable = "ONEDNN_MAX_CPU_ISA";

    /// <summary>The oneDNN kernel cap applied when the user has not set one.</summary>
    public const string DefaultIsa = "SSE41";

    private static readonly object Gate = new();
    private static string? _appliedIsa;

    /// <summary>
    /// Applies the defaults (idempotent) and returns the oneDNN cap in force and whether it came from the user's
    /// environment.
    /// </summary>
    public static (string Isa, bool IsaFromUser) Apply()
    {
        lock (Gate)
        {
            var current = Environment.GetEnvironmentVariable(IsaVariable);
            if (!string.IsNullOrWhiteSpace(current)) return (current, _appliedIsa != current);
            Set(IsaVariable, DefaultIsa);
            _appliedIsa = DefaultIsa;
            return (DefaultIsa, false);
        }
    }

    private static void Set(string name, string value)
    {
        // .NET keeps its own copy of the environment on Unix: native code (libtorch) only sees setenv.
        if (!OperatingSystem.IsWindows() && setenv(name, value, 0) != 0)
            throw new InvalidOperationException($"could not set {name} (errno {Marshal.GetLastPInvokeError()})");
        Environment.SetEnvironmentVariable(name, value);
    }

    /// <summary>
    /// Turns NNPACK off (libtorch must be loaded: call after the first TorchSharp operation). Returns false when the
    /// libtorch build does not export the switch; nothing else changes then.
    /// </summary>
    public static bool DisableNnpack()
    {
        try
        {
            SetUserEnabledNnpack(GlobalContext(), false);
            return true;
        }
        catch (Exception e) when (e is EntryPointNotFoundException or DllNotFoundException)
        {
            return false;
        }
    }

    // at::globalContext() and at::Context::setUserEnabledNNPACK(bool): C++ symbols libtorch_cpu exports; `this` is the
    // first argument in the Itanium ABI, so they bind as plain C functions.
    [DllImport("libtorch_cpu", EntryPoint = "_ZN2at13globalContextEv")]
    private static extern IntPtr GlobalContext();

    [DllImport("libtorch_cpu", EntryPoint = "_ZN2at7Context20setUserEnabledNNPACKEb")]
    private static extern void SetUserEnabledNnpack(IntPtr context, [MarshalAs(UnmanagedType.U1)] bool enabled);

    [DllImport("libc", SetLastError = true)]
    private static extern int setenv(string name, string value, int overwrite);
}
