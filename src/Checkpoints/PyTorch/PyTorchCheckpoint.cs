using static TorchSharp.torch;

namespace NanoDet.Checkpoints.PyTorch;

/// <summary>
/// The weights read from a PyTorch checkpoint: an ordered state dict (names as NanoDet's PyTorch
/// <c>state_dict()</c> keys, after the prefix rule of docs/reference.md#weight-names-and-checkpoint-loading) of contiguous CPU tensors, plus what was found.
/// Owns the tensors: dispose it, or take them over with <see cref="DetachStateDict"/>.
/// </summary>
internal sealed class PyTorchCheckpoint : IDisposable
{
    private OrderedDictionary<string, Tensor>? _stateDict;

    internal PyTorchCheckpoint(OrderedDictionary<string, Tensor> stateDict, CheckpointMetadata metadata)
    {
        _stateDict = stateDict;
        Metadata = metadata;
    }

    /// <summary>Name → tensor, in the file's order. Tensors are plain (no grad), contiguous, on the CPU.</summary>
    public OrderedDictionary<string, Tensor> StateDict =>
        _stateDict ?? throw new ObjectDisposedException(nameof(PyTorchCheckpoint), "the state dict was disposed or detached");

    public CheckpointMetadata Metadata { get; }

    /// <summary>Hands the tensors to the caller, who then disposes them; this object no longer does.</summary>
    public OrderedDictionary<string, Tensor> DetachStateDict()
    {
        var d = StateDict;
        _stateDict = null;
        return d;
    }

    public void Dispose()
    {
        if (_stateDict is null) return;
        foreach (var t in _stateDict.Values) t.Dispose();
        _stateDict = null;
    }
}
