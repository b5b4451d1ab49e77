using TorchSharp.Modules;
using static TorchSharp.torch;

namespace NanoDet.Compute.Layers;

/// <summary>
/// The weight and bias of a convolution with the eval-mode BatchNorm that follows it folded in:
/// w' = w·s and b' = β + (b − μ)·s per output channel, with s = γ / √(σ² + ε) (μ, σ² the running statistics), computed
/// in float64 and rounded once, so <c>conv(x, w') + b'</c> equals <c>bn(conv(x, w, b))</c> up to float32 rounding. The
/// result is cached and recomputed only when one of the six source tensors is replaced or written (libtorch's version
/// counters, <see cref="TensorVersion"/>) or ε changes; training mode never uses it (<see cref="Clear"/>).
/// </summary>
public sealed class BatchNormFold : IDisposable
{
    private readonly object _gate = new();
    private Tensor? _weight, _bias;
    private (IntPtr Handle, long Version)[] _sources = [];
    private double _eps = double.NaN;

    /// <summary>Whether <paramref name="bn"/> can be folded: eval mode with running statistics.</summary>
    public static bool CanFold(BatchNorm2d bn) => !bn.training && bn.running_mean is not null && bn.running_var is not null;

    /// <summary>
    /// Folded (weight [out, in/groups, kH, kW], bias [out]) for <paramref name="convWeight"/>, <paramref name="convBias"/>
    /// and <paramref name="bn"/> (eval mode), or null when libtorch's version counters cannot be read (nothing can be
    /// cached safely then). The tensors belong to this object: do not dispose them.
    /// </summary>
    public (Tensor Weight, Tensor Bias)? Get(Tensor convWeight, Tensor? convBias, BatchNorm2d bn)
    {
        if (!TensorVersion.IsAvailable || !CanFold(bn)) return null;
        Tensor?[] sources = [convWeight, convBias, bn.weight, bn.bias, bn.running_mean, bn.running_var];
        lock (_gate)
        {
            if (_weight is not null && _bias is not null && bn.eps == _eps && Matches(sources)) return (_weight, _bias);
            var signature = new (IntPtr, long)[sources.Length];
            for (int i = 0; i < sources.Length; i++)
            {
                if (sources[i] is not { } t) continue;
                if (TensorVersion.Of(t) is not { } version) return null;
                signature[i] = (t.Handle, version);
            }
            Clear();
            (_weight, _bias) = Fold(convWeight, convBias, bn);
            (_sources, _eps) = (signature, bn.eps);
            return (_weight, _bias);
        }
    }

    /// <summary>
    /// w·s and β + (b − μ)·s in float64, rounded to <paramref name="convWeight"/>'s dtype; owned by the caller and
    /// outside any dispose scope.
    /// </summary>
    public static (Tensor Weight, Tensor Bias) Fold(Tensor convWeight, Tensor? convBias, BatchNorm2d bn)
    {
        using var _ = no_grad();
        using var scope = NewDisposeScope();
        var mean = bn.running_mean!.to(float64);
        var scale = (bn.running_var!.to(float64) + bn.eps).rsqrt();
        if (bn.weight is not null) scale = scale * bn.weight.to(float64);
        var weight = convWeight.to(float64) * scale.view(-1, 1, 1, 1);
        var bias = ((convBias is null ? -mean : convBias.to(float64) - mean) * scale);
        if (bn.bias is not null) bias = bias + bn.bias.to(float64);
        var w = weight.to(convWeight.dtype).contiguous().DetachFromDisposeScope();
        var b = bias.to(convWeight.dtype).contiguous().DetachFromDisposeScope();
        return (w, b);
    }

    /// <summary>Drops the cached tensors (training mode, a replaced parameter, disposal).</summary>
    public void Clear()
    {
        lock (_gate)
        {
            _weight?.Dispose();
            _bias?.Dispose();
            (_weight, _bias, _sources, _eps) = (null, null, [], double.NaN);
        }
    }

    /// <summary>True while a folded weight is cached (tests use it).</summary>
    public bool IsCached
    {
        get
        {
            lock (_gate) return _weight is not null;
        }
    }

    public void Dispose() => Clear();

    private bool Matches(Tensor?[] sources)
    {
        if (_sources.Length != sources.Length) return false;
        for (int i = 0; i < sources.Length; i++)
        {
            var t = sources[i];
            if (t is null)
            {
                if (_sources[i].Handle != IntPtr.Zero) return false;
                continue;
            }
            if (t.Handle != _sources[i].Handle || TensorVersion.Of(t) != _sources[i].Version) return false;
        }
        return true;
    }
}
