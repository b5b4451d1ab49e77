using NanoDet.Compute.Layers;
using static TorchSharp.torch;

namespace NanoDet.Export;

/// <summary>
/// The version counters (<see cref="TensorVersion"/>) of the module tensors a plan was built from, read at build, so
/// the plan can tell when one has been written since (an optimizer step, a state_dict load, an EMA copy).
/// </summary>
internal sealed class WeightVersions(IEnumerable<Tensor> sources)
{
    private readonly (Tensor Tensor, long Version)[] _sources = sources.Distinct().Select(t => (t, TensorVersion.Of(t) ?? -1)).ToArray();

    /// <summary>Throws <see cref="InvalidOperationException"/> when version counters cannot be read in this process.</summary>
    public static void EnsureAvailable(string planKind)
    {
        if (!TensorVersion.IsAvailable)
            throw new InvalidOperationException($"libtorch's tensor version counters cannot be read; a {planKind} could go stale unnoticed");
    }

    /// <summary>True while no source tensor has been written or freed since the build.</summary>
    public bool IsCurrent
    {
        get
        {
            foreach (var (tensor, version) in _sources)
                if (tensor.IsInvalid || TensorVersion.Of(tensor) != version) return false;
            return true;
        }
    }
}
