using NanoDet.Abstractions.Export;
using NanoDet.Compute.Kernels;
using NanoDet.Compute.Layers;
using TorchSharp;
using static TorchSharp.torch;

namespace NanoDet.Export;

/// <summary>
/// A model's eval-mode forward for one input shape, compiled into one TorchScript function
/// (<see cref="TorchScriptGraphBuilder"/>) that libtorch runs in a single call. Same kernels and folded weights as
/// the module-by-module forward under <c>no_grad</c>, so the same numbers; the plan notices when a weight it was built
/// from is written (libtorch's per-tensor version counters, <see cref="TensorVersion"/>) and then reports itself stale.
/// </summary>
public sealed class TorchScriptPlan : IDisposable
{
    private readonly jit.CompilationUnit _unit;
    private readonly Tensor[] _weights;
    private readonly IReadOnlyList<Tensor> _owned;
    private readonly WeightVersions _sources;

    private TorchScriptPlan(jit.CompilationUnit unit, Tensor[] weights, IReadOnlyList<Tensor> owned, WeightVersions sources,
        long[] inputShape, string source, IReadOnlyDictionary<string, int> kernels)
    {
        (_unit, _weights, _owned, _sources) = (unit, weights, owned, sources);
        (InputShape, Source, Kernels) = (inputShape, source, kernels);
    }

    /// <summary>The input shape [B, 3, H, W] the plan was built for.</summary>
    public long[] InputShape { get; }

    /// <summary>The TorchScript source (for diagnostics).</summary>
    public string Source { get; }

    /// <summary>Convolution kernels in the plan: name → count.</summary>
    public IReadOnlyDictionary<string, int> Kernels { get; }

    /// <summary>
    /// Compiles <paramref name="model"/>'s inference graph for inputs shaped like <paramref name="input"/> (float32 on
    /// the CPU; any layout). The model must be in eval mode. Throws <see cref="NotSupportedException"/> when part of
    /// the graph has no TorchScript form and <see cref="InvalidOperationException"/> when version counters are unavailable.
    /// </summary>
    public static TorchScriptPlan Build(nn.Module model, Tensor input, ConvKernelSelector selector)
    {
        if (model is not IOnnxExportable exportable)
            throw new NotSupportedException($"{model.GetType().Name} does not describe its graph ({nameof(IOnnxExportable)})");
        WeightVersions.EnsureAvailable("compiled plan");
        if (input.device_type != DeviceType.CPU || input.dtype != ScalarType.Float32)
            throw new NotSupportedException("compiled plans run float32 on the CPU");
        using var scope = NewDisposeScope();
        using var _ = no_grad();
        using var builder = new TorchScriptGraphBuilder(MemoryLayout.ToChannelsLast(input), selector);
        var outputs = exportable.ExportOnnx(builder, [builder.Input]);
        if (outputs.Count != 1) throw new NotSupportedException($"{model.GetType().Name} has {outputs.Count} outputs; plans return one");
        var source = builder.Build(outputs[0]);
        var owned = builder.TakeOwnedWeights();
        try
        {
            var unit = jit.compile(source);
            var sources = new WeightVersions(builder.Sources);
            return new TorchScriptPlan(unit, builder.Weights.ToArray(), owned, sources, input.shape, source,
                new Dictionary<string, int>(builder.KernelsUsed, StringComparer.Ordinal));
        }
        catch
        {
            foreach (var t in owned) t.Dispose();
            throw;
        }
    }

    /// <summary>True while no weight the plan was built from has been written since.</summary>
    public bool IsCurrent => _sources.IsCurrent;

    /// <summary>x [B, 3, H, W] (the built shape) → the model's forward output; a new tensor in the caller's dispose scope.</summary>
    public Tensor Run(Tensor x)
    {
        if (!x.shape.SequenceEqual(InputShape))
            throw new ArgumentException($"plan built for [{string.Join(", ", InputShape)}], got [{string.Join(", ", x.shape)}]");
        using var channelsLast = MemoryLayout.ToChannelsLast(x);
        return (Tensor)_unit.invoke(TorchScriptGraphBuilder.FunctionName, channelsLast, _weights);
    }

    public void Dispose()
    {
        foreach (var t in _owned) t.Dispose();
        _unit.Dispose();
    }
}
