using System.Runtime.InteropServices;
using static TorchSharp.torch;

namespace NanoDet.Compute.Layers;

/// <summary>
/// libtorch's version counter of a tensor (PyTorch's <c>tensor._version</c>): every in-place write through libtorch —
/// an optimizer step, <c>copy_</c> from a state_dict or an EMA, an <c>nn.init</c> call, BatchNorm's running-statistics
/// update — increments it. TorchSharp does not expose it, so it is read through the C++ function libtorch exports for
/// it (<c>torch::autograd::impl::version_counter</c>), whose result points at a counter object laid out as
/// [vtable, reference counts, version]. That layout is checked once per process on a scratch tensor (version 0, then
/// +1 per in-place write); if the check fails or the symbol is missing, <see cref="IsAvailable"/> is false and callers
/// must not cache anything derived from tensor contents. Writes that bypass libtorch (a TensorAccessor) are not seen.
/// </summary>
public static class TensorVersion
{
    // intrusive_ptr_target: vtable pointer (8 bytes) + reference counts (8 bytes); the version follows.
    private const int VersionOffset = 16;

    private static readonly Lazy<bool> Available = new(SelfCheck);

    /// <summary>True when versions can be read in this process (checked once).</summary>
    public static bool IsAvailable => Available.Value;

    /// <summary>The tensor's version, or null when unavailable (no counter, e.g. a tensor made in inference mode).</summary>
    public static long? Of(Tensor tensor) => IsAvailable ? Read(tensor) : null;

    private static long? Read(Tensor tensor)
    {
        var variableVersion = VersionCounter(tensor.Handle);
        if (variableVersion == IntPtr.Zero) return null;
        var counter = Marshal.ReadIntPtr(variableVersion);
        if (counter == IntPtr.Zero) return null;
        return (uint)Marshal.ReadInt32(counter, VersionOffset);
    }

    private static bool SelfCheck()
    {
        try
        {
            using var _ = no_grad();
            using var scratch = zeros(4);
            using var other = zeros(4);
            var v0 = Read(scratch);
            scratch.add_(other);
            var v1 = Read(scratch);
            scratch.mul_(other);
            var v2 = Read(scratch);
            var untouched = Read(other);
            return v0 == 0 && v1 == 1 && v2 == 2 && untouched == 0;
        }
        catch (Exception e) when (e is EntryPointNotFoundException or DllNotFoundException or AccessViolationException)
        {
            return false;
        }
    }

    // const c10::VariableVersion& torch::autograd::impl::version_counter(const at::Tensor&): a TorchSharp tensor
    // handle is an at::Tensor*, which is how the Itanium ABI passes the reference.
    [DllImport("libtorch_cpu", EntryPoint = "_ZN5torch8autograd4impl15version_counterERKN2at6TensorE")]
    private static extern IntPtr VersionCounter(IntPtr tensor);
}
