using System.Runtime;

namespace NanoDet.Compute.Runtime;

/// <summary>
/// Keeps the garbage collector out of a block of TorchSharp work. TorchSharp 0.107 frees its <c>Scalar</c> handles
/// in finalizers and several of its methods (e.g. <c>Tensor.add_(Scalar, Scalar)</c>, used by BatchNorm and
/// AdamW) do not keep the Scalar alive across the native call, so a collection triggered by another thread in that
/// window lets the finalizer free a scalar libtorch is about to read. Seen here as random
/// "Expected false to be true" (<c>Scalar::toLong</c>) failures in training, and reproduced in isolation
/// (tests/Abstractions.Tests: about 1 call in 6,000 fails while another thread allocates); a freed scalar could also
/// be read as a wrong value without any error. Inside this region the collector does not run unless the budget is
/// exhausted; entering it collects first, at a point where this thread has no native call in flight.
/// Use one region per training step, per inference batch, or per block of native work.
/// </summary>
public readonly struct GcQuietRegion : IDisposable
{
    /// <summary>Managed bytes all threads may allocate inside the region before a collection is forced anyway.</summary>
    public const long DefaultBudget = 200_000_000;

    private readonly bool _entered;

    private GcQuietRegion(bool entered) => _entered = entered;

    /// <summary>Enters a no-GC region (a no-op when one is already active or the runtime refuses the budget).</summary>
    public static GcQuietRegion Enter(long budget = DefaultBudget)
    {
        if (GCSettings.LatencyMode == GCLatencyMode.NoGCRegion) return new GcQuietRegion(false);
        try
        {
            return new GcQuietRegion(GC.TryStartNoGCRegion(budget));
        }
        catch (Exception e) when (e is InvalidOperationException or ArgumentOutOfRangeException)
        {
            return new GcQuietRegion(false);
        }
    }

    public void Dispose()
    {
        if (!_entered || GCSettings.LatencyMode != GCLatencyMode.NoGCRegion) return;
        try
        {
            GC.EndNoGCRegion();
        }
        catch (InvalidOperationException)
        {
            // The budget ran out and a collection already ended the region.
        }
    }
}
