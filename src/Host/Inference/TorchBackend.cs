using NanoDet.Abstractions.Model;
using NanoDet.Compute.Layers;
using NanoDet.Compute.Runtime;
using NanoDet.Inference.Detections;
using NanoDet.Inference.Errors;
using NanoDet.Inference.Geometry;
using NanoDet.Inference.Runtime;
using TorchSharp;
using static TorchSharp.torch;

namespace NanoDet.Host.Inference;

/// <summary>The TorchSharp model itself (eval mode, no autograd), on the configured device.</summary>
internal sealed class TorchBackend(DetectorModule model, Device device, bool ownsModel = false) : IInferenceBackend
{
    public string Name => "torch";

    public bool Decoded => false;

    public BackendOutput Run(float[] input, int batch, int height, int width)
    {
        // No collection during the native calls (TorchSharp Scalar lifetime race, see GcQuietRegion).
        using var quiet = GcQuietRegion.Enter();
        using var scope = NewDisposeScope();
        using var _ = no_grad();
        // The input array is used in place (pinned while the tensor lives, i.e. until the scope ends), not copied.
        var x = from_array(input).view(batch, 3, height, width).to(device);
        var y = model.forward(x);
        return new BackendOutput(TensorArrays.ToFloatArray(y), y.shape);
    }

    public void Dispose()
    {
        if (ownsModel) model.Dispose();
    }
}
