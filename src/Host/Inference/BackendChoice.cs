using Microsoft.Extensions.Logging;
using TorchSharp;

namespace NanoDet.Host.Inference;

/// <summary>
/// <c>--backend auto</c> (the default of <c>predict</c> and <c>eval --checkpoint</c>): ONNX Runtime on the CPU, where
/// it runs the exported network several times faster than TorchSharp at batch 1 (README "Benchmarks"), and
/// TorchSharp on a CUDA device. An explicit backend is kept as given.
/// </summary>
internal static class BackendChoice
{
    public const string Auto = "auto";
    public const string Torch = "torch";
    public const string OnnxRuntime = "onnxruntime";
    public const string OpenCv = "opencv";

    /// <summary>The values <c>--backend</c> accepts.</summary>
    public static readonly string[] Values = [Auto, Torch, OnnxRuntime, OpenCv];

    /// <summary>The backend to use for <paramref name="requested"/> on <paramref name="device"/>; logs the pick of auto.</summary>
    public static string Resolve(string requested, torch.Device device, ILogger log)
    {
        if (requested != Auto) return requested;
        if (device.type == DeviceType.CUDA)
        {
            log.LogInformation("backend auto: torch (TorchSharp on {Device})", device);
            return Torch;
        }
        log.LogInformation("backend auto: onnxruntime (the exported network on the CPU; --backend torch runs TorchSharp)");
        return OnnxRuntime;
    }
}
