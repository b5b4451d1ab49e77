using NanoDet.Abstractions.Plugins;
using NanoDet.Inference.Errors;
using TorchSharp;
using static TorchSharp.torch;

namespace NanoDet.Training;

/// <summary>
/// NanoDet's exponential moving average of a model's parameters and buffers (docs/reference.md#ema-weights). After update i the state
/// is ema·(1 − a_i) + θ·a_i with a_i = D·exp(−(1 + i)/2000) + (1 − D): a_i weights the NEW values (docs/reference.md#ema-weights), so the
/// average follows the model closely at first and settles to a momentum of D. Integer buffers
/// (num_batches_tracked) are copied, not averaged (NanoDet averages them with truncation, which is meaningless). The state lives on the model's device, outside any
/// dispose scope, until <see cref="Dispose"/>.
/// </summary>
public sealed class ExpMovingAverager : IDisposable
{
    private readonly Dictionary<string, Tensor> _state = new(StringComparer.Ordinal);

    public ExpMovingAverager(double decay = 0.9998)
    {
        if (decay is < 0 or > 1) throw new ArgumentOutOfRangeException(nameof(decay), decay, "decay must be in [0, 1]");
        Decay = decay;
    }

    public double Decay { get; }

    public bool IsInitialized => _state.Count > 0;

    /// <summary>The live averaged tensors by state-dict name (parameters, then buffers). Do not dispose them.</summary>
    public IReadOnlyDictionary<string, Tensor> State => _state;

    /// <summary>a_i = D·exp(−(1 + i)/2000) + (1 − D).</summary>
    public static double Coefficient(double decay, long iteration) => decay * Math.Exp(-(1 + iteration) / 2000.0) + (1 - decay);

    /// <summary>The new-weight coefficient of update <paramref name="iteration"/>.</summary>
    public double CoefficientAt(long iteration) => Coefficient(Decay, iteration);

    /// <summary>(Re)starts the average as a copy of <paramref name="model"/>'s parameters and buffers.</summary>
    public void LoadFrom(nn.Module model)
    {
        Clear();
        using var noGrad = no_grad();
        foreach (var (name, value) in Entries(model))
            _state[name] = value.detach().clone().DetachFromDisposeScope();
    }

    /// <summary>One update after optimizer step <paramref name="iteration"/> (the global step counter).</summary>
    public void Update(nn.Module model, long iteration)
    {
        if (!IsInitialized) throw new InvalidOperationException("the EMA must be initialised with LoadFrom before Update");
        double a = CoefficientAt(iteration);
        using var noGrad = no_grad();
        foreach (var (name, value) in Entries(model))
        {
            var ema = Get(name);
            if (ema.is_floating_point()) ema.mul_(1 - a).add_(value, alpha: a);
            else ema.copy_(value);
        }
    }

    /// <summary>Copies the averaged state into <paramref name="target"/> (e.g. the evaluation copy of the model); names must match.</summary>
    public void ApplyTo(nn.Module target)
    {
        using var noGrad = no_grad();
        foreach (var (name, value) in Entries(target))
            value.copy_(Get(name));
    }

    /// <summary>A detached copy of the live state on <paramref name="device"/> (default: CPU), for checkpoints (NanoDet saves a stale copy, docs/reference.md#ema-weights).</summary>
    public Dictionary<string, Tensor> ExportState(Device? device = null)
    {
        var copy = new Dictionary<string, Tensor>(StringComparer.Ordinal);
        foreach (var (name, value) in _state) copy[name] = value.to(device ?? CPU).clone();
        return copy;
    }

    /// <summary>
    /// Restores a state written by <see cref="ExportState"/>, on <paramref name="model"/>'s device. Every parameter and
    /// buffer of the model must be present with its shape; otherwise <see cref="InputDataException"/> names the entry.
    /// </summary>
    public void ImportState(IReadOnlyDictionary<string, Tensor> state, nn.Module model)
    {
        var restored = new Dictionary<string, Tensor>(StringComparer.Ordinal);
        try
        {
            foreach (var (name, value) in Entries(model))
            {
                if (!state.TryGetValue(name, out var saved))
                    throw new InputDataException($"EMA state: missing entry '{name}'");
                if (!saved.shape.SequenceEqual(value.shape))
                    throw new InputDataException(
                        $"EMA state: '{name}' has shape [{string.Join(", ", saved.shape)}], the model [{string.Join(", ", value.shape)}]");
                restored[name] = saved.to(value.dtype, value.device).clone().DetachFromDisposeScope();
            }
        }
        catch
        {
            foreach (var t in restored.Values) t.Dispose();
            throw;
        }
        Clear();
        foreach (var (name, value) in restored) _state[name] = value;
    }

    public void Dispose() => Clear();

    private Tensor Get(string name) => _state.TryGetValue(name, out var t)
        ? t
        : throw new InvalidOperationException($"EMA state has no entry '{name}' (the model changed after LoadFrom)");

    private void Clear()
    {
        foreach (var t in _state.Values) t.Dispose();
        _state.Clear();
    }

    /// <summary>Parameters then buffers, by state-dict name (the reference's iteration order).</summary>
    private static IEnumerable<(string Name, Tensor Value)> Entries(nn.Module model) =>
        model.named_parameters().Select(p => (p.name, (Tensor)p.parameter)).Concat(model.named_buffers());
}
