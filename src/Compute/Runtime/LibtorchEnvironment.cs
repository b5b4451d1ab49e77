using System.Runtime.InteropServices;
using NanoDet.Compute.Kernels;
using TorchSharp;

namespace NanoDet.Compute.Runtime;

/// <summary>
/// libtorch settings that must be made around its first use: the instruction set of oneDNN's CPU kernels
/// (<c>ONEDNN_MAX_CPU_ISA</c>, before the first convolution), NNPACK (off, after libtorch is loaded) and how glibc's
/// allocator treats the tensors libtorch frees (<see cref="KeepFreedMemory"/>).
/// </summary>
/// <remarks>
/// <para>
/// oneDNN's fastest kernels are not exact on every machine: on the AMD EPYC (AVX-512) virtual machine this project is
/// developed on, libtorch 2.10's AVX-512 and AVX2 convolution kernels return wrong values for some channel counts
/// (docs/kernels.md has the cases). So the level is not assumed: <see cref="OneDnnProbe"/> finds, once per CPU and
/// libtorch version, the highest level whose convolutions match float64, and <see cref="Apply"/> sets it before
/// libtorch's first convolution. A user's own <c>ONEDNN_MAX_CPU_ISA</c> always wins. Every layer's convolution is then
/// checked again, per shape, by <see cref="ConvKernelSelector"/>.
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

    private static readonly object Gate = new();
    private static OneDnnProbeResult? _applied;

    /// <summary>
    /// Sets the oneDNN level (idempotent): the user's <c>ONEDNN_MAX_CPU_ISA</c> when set, else the probed level
    /// (cached per machine; a first run starts the probe children). Returns what is in force and why.
    /// </summary>
    public static OneDnnProbeResult Apply()
    {
        lock (Gate)
        {
            if (_applied is not null) return _applied;
            KeepFreedMemory();
            var current = Environment.GetEnvironmentVariable(IsaVariable);
            if (!string.IsNullOrWhiteSpace(current))
                return _applied = new OneDnnProbeResult(current, "environment", $"{IsaVariable} is set", [], null);
            var result = OneDnnProbe.Resolve(torch.__version__);
            Set(IsaVariable, result.Isa);
            return _applied = result;
        }
    }

    /// <summary>The result of <see cref="Apply"/> in this process, or null before it ran.</summary>
    public static OneDnnProbeResult? Applied
    {
        get
        {
            lock (Gate) return _applied;
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
    /// Whether <see cref="KeepFreedMemory"/> changed glibc's thresholds in this process (false off Linux, when the user
    /// set them, or before <see cref="Apply"/>).
    /// </summary>
    public static bool AllocatorTuned { get; private set; }

    /// <summary>
    /// Makes glibc keep the memory of freed tensors for the next ones instead of returning it to the kernel. libtorch
    /// allocates every tensor with <c>posix_memalign</c>; by default glibc serves blocks from 128 KiB up (its threshold
    /// then follows the largest freed block) with a fresh <c>mmap</c> and trims the heap top back to the kernel, so a
    /// batch-1 forward of the default model, whose maps are 0.1–2.4 MB, took about 530 page faults, each a kernel
    /// entry and a zeroed page (one sixth of its time in the kernel by <c>perf</c>; 8.6 → 7.5 ms per forward with the
    /// thresholds raised; docs/kernels.md). Blocks up to 32 MiB (glibc's largest allowed threshold) now come from the
    /// heap, and up to 256 MiB of free heap top is kept. Training's batch-sized maps above 32 MiB still use
    /// <c>mmap</c>. Left alone when <c>GLIBC_TUNABLES</c>, <c>MALLOC_MMAP_THRESHOLD_</c> or <c>MALLOC_TRIM_THRESHOLD_</c>
    /// is set (the user's choice wins) and off Linux.
    /// </summary>
    public static void KeepFreedMemory()
    {
        if (!OperatingSystem.IsLinux() || AllocatorTuned) return;
        foreach (var name in new[] { "GLIBC_TUNABLES", "MALLOC_MMAP_THRESHOLD_", "MALLOC_TRIM_THRESHOLD_" })
            if (!string.IsNullOrEmpty(Environment.GetEnvironmentVariable(name))) return;
        try
        {
            // mallopt returns 1 on success; a C library without these parameters (not glibc) returns 0 and is left as is.
            AllocatorTuned = mallopt(MmapThreshold, 32 << 20) == 1 & mallopt(TrimThreshold, 256 << 20) == 1;
        }
        catch (EntryPointNotFoundException)
        {
        }
    }

    // glibc's <malloc.h>: M_TRIM_THRESHOLD and M_MMAP_THRESHOLD.
    private const int TrimThreshold = -1;
    private const int MmapThreshold = -3;

    [DllImport("libc")]
    private static extern int mallopt(int param, int value);

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
