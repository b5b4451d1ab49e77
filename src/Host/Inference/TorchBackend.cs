using NanoDet.Abstractions.Model;
using NanoDet.Compute.Kernels;
using NanoDet.Compute.Runtime;
using NanoDet.Export;
using NanoDet.Inference.Runtime;
using TorchSharp;
using static TorchSharp.torch;

namespace NanoDet.Host.Inference;

/// <summary>
/// The TorchSharp model itself (eval mode, no autograd), on the configured device. On the CPU its forward runs as one
/// compiled TorchScript function per input shape (<see cref="TorchScriptPlan"/>: same kernels and folded weights, so
/// the same numbers, without a managed call per operation; docs/kernels.md "Inference at batch 1") unless
/// <paramref name="compiled"/> is false (<c>device:torch_graph=false</c>) or the model's graph has no TorchScript form,
/// in which case it runs module by module.
/// </summary>
internal sealed class TorchBackend(DetectorModule model, Device device, bool ownsModel = false, bool compiled = true,
    Action<string>? log = null) : IInferenceBackend
{
    private TorchScriptPlan? _plan;
    private bool _planUnavailable = !compiled || device.type != DeviceType.CPU;

    public string Name => "torch";

    public bool Decoded => false;

    /// <summary>How the last forward ran: "compiled graph" or "module by module" (with the reason when a plan failed).</summary>
    public string Mode { get; private set; } = "module by module";

    public BackendOutput Run(float[] input, int batch, int height, int width)
    {
        // No collection during the native calls (TorchSharp Scalar lifetime race, see GcQuietRegion).
        using var quiet = GcQuietRegion.Enter();
        using var scope = NewDisposeScope();
        using var _ = no_grad();
        // The input array is used in place (pinned while the tensor lives, i.e. until the scope ends), not copied.
        var x = from_array(input).view(batch, 3, height, width).to(device);
        var y = Plan(x) is { } plan ? plan.Run(x) : model.forward(x);
        return new BackendOutput(TensorArrays.ToFloatArray(y), y.shape);
    }

    /// <summary>The compiled plan for this input, built on first use and rebuilt after the weights change; null when unavailable.</summary>
    private TorchScriptPlan? Plan(Tensor x)
    {
        if (_planUnavailable || model.training || x.dtype != ScalarType.Float32) return null;
        if (_plan is not null && _plan.InputShape.SequenceEqual(x.shape) && _plan.IsCurrent) return _plan;
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
        _plan?.Dispose();
        if (ownsModel) model.Dispose();
    }
}
