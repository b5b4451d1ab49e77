using NanoDet.Abstractions.Model;
using NanoDet.Compute.Kernels;
using NanoDet.Compute.Runtime;
using NanoDet.Export;
using NanoDet.Inference.Runtime;
using TorchSharp;
using static TorchSharp.torch;

namespace NanoDet.Host.Inference;

/// <summary>
/// The TorchSharp model itself (eval mode, no autograd), on the configured device. On the CPU, for each input shape
/// it first tries the product's fused CPU kernels (<see cref="FusedPlan"/>: the network with BatchNorm folded and
/// activations fused, no libtorch call per operation, checked against the module forward when built), then one
/// compiled TorchScript function on libtorch's kernels (<see cref="TorchScriptPlan"/>), then module by module;
/// <paramref name="forward"/> (<c>device:torch_graph</c>) says where to start. A plan is rebuilt when the input shape
/// changes or a weight it was built from is written (docs/kernels.md "Inference at batch 1").
/// </summary>
internal sealed class TorchBackend(DetectorModule model, Device device, bool ownsModel = false, TorchForward forward = TorchForward.Fused,
    Action<string>? log = null) : IInferenceBackend
{
    private FusedPlan? _fused;
    private TorchScriptPlan? _plan;
    private bool _fusedUnavailable = forward != TorchForward.Fused || device.type != DeviceType.CPU;
    private bool _planUnavailable = forward == TorchForward.Module || device.type != DeviceType.CPU;

    public string Name => "torch";

    public bool Decoded => false;

    /// <summary>How the last forward ran: "fused kernels", "compiled graph" or "module by module" (with the reason when a plan failed).</summary>
    public string Mode { get; private set; } = "module by module";

    public BackendOutput Run(float[] input, int batch, int height, int width)
    {
        long[] shape = [batch, 3, height, width];
        // A built, current fused plan makes no TorchSharp call (only version-counter reads), so it runs without the
        // GC region, whose entry is a full collection.
        if (ReadyFused(shape) is { } ready) return new BackendOutput(ready.Run(input), ready.OutputShape);
        // No collection during the native calls (TorchSharp Scalar lifetime race, see GcQuietRegion).
        using var quiet = GcQuietRegion.Enter();
        if (BuildFused(input, shape) is { } fused) return new BackendOutput(fused.Run(input), fused.OutputShape);
        using var scope = NewDisposeScope();
        using var _ = no_grad();
        // The input array is used in place (pinned while the tensor lives, i.e. until the scope ends), not copied.
        var x = from_array(input).view(shape).to(device);
        var y = Plan(x) is { } plan ? plan.Run(x) : model.forward(x);
        return new BackendOutput(TensorArrays.ToFloatArray(y), y.shape);
    }

    /// <summary>The fused plan already built for input [B, 3, H, W], when its weights are unchanged and the model is in eval mode.</summary>
    private FusedPlan? ReadyFused(long[] shape) =>
        !model.training && _fused is not null && _fused.InputShape.SequenceEqual(shape) && _fused.IsCurrent ? _fused : null;

    /// <summary>A new fused plan for input [B, 3, H, W] (none was ready); null when unavailable.</summary>
    private FusedPlan? BuildFused(float[] input, long[] shape)
    {
        if (_fusedUnavailable || model.training) return null;
        _fused?.Dispose();
        _fused = null;
        try
        {
            using var scope = NewDisposeScope();
            _fused = FusedPlan.Build(model, from_array(input).view(shape), threads: Math.Max(1, get_num_threads()));
            Mode = "fused kernels";
            log?.Invoke($"torch backend: the forward runs on the fused CPU kernels for [{string.Join(", ", shape)}] " +
                        $"({_fused.Program.Ops.Count} operations, {_fused.Program.Bytes / (1 << 20)} MiB of buffers, {_fused.Program.Threads} thread{(_fused.Program.Threads == 1 ? "" : "s")}; " +
                        $"largest difference from the module forward {_fused.Difference:G2})");
            return _fused;
        }
        catch (Exception e) when (e is NotSupportedException or InvalidOperationException or ArgumentException)
        {
            _fusedUnavailable = true;
            log?.Invoke($"torch backend: no fused CPU forward: {e.Message}");
            return null;
        }
    }

    /// <summary>The compiled plan for this input, built on first use and rebuilt after the weights change; null when unavailable.</summary>
    private TorchScriptPlan? Plan(Tensor x)
    {
        if (_planUnavailable || model.training || x.dtype != ScalarType.Float32) return null;
        if (_plan is not null && _plan.InputShape.SequenceEqual(x.shape) && _plan.IsCurrent)
        {
            Mode = "compiled graph";
            return _plan;
        }
        _plan?.Dispose();
        _plan = null;
        try
        {
            _plan = TorchScriptPlan.Build(model, x, ConvKernelSelector.Shared);
            Mode = "compiled graph";
            log?.Invoke($"torch backend: the forward runs as one compiled TorchScript function for [{string.Join(", ", x.shape)}] " +
                        $"(convolutions: {string.Join(", ", _plan.Kernels.Select(kv => $"{kv.Key} {kv.Value}"))})");
            return _plan;
        }
        catch (Exception e) when (e is NotSupportedException or InvalidOperationException or ArgumentException or System.Runtime.InteropServices.ExternalException)
        {
            _planUnavailable = true;
            Mode = $"module by module ({e.Message})";
            log?.Invoke($"torch backend: runs module by module: {e.Message}");
            return null;
        }
    }

    public void Dispose()
    {
        _fused?.Dispose();
        _plan?.Dispose();
        if (ownsModel) model.Dispose();
    }
}
