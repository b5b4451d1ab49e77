using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging;
using NanoDet.Abstractions.Plugins;
using NanoDet.Compute.Kernels;
using NanoDet.Compute.Runtime;
using NanoDet.Host.Plugins;
using NanoDet.Inference.Errors;
using TorchSharp;

namespace NanoDet.Host.Runtime;

/// <summary>Resolves <c>device</c> (<c>auto|cpu|cuda[:N]</c>) to a torch device; <c>auto</c> logs its pick.</summary>
internal static class DeviceSelector
{
    /// <summary>Parses the device string without touching CUDA; throws naming the <c>device</c> key when invalid.</summary>
    public static (string Kind, int Index) Parse(string? text)
    {
        var t = (text ?? "auto").Trim().ToLowerInvariant();
        if (t is "auto" or "") return ("auto", -1);
        if (t == "cpu") return ("cpu", -1);
        if (t is "cuda" or "gpu") return ("cuda", 0);
        if ((t.StartsWith("cuda:", StringComparison.Ordinal) || t.StartsWith("gpu:", StringComparison.Ordinal))
            && int.TryParse(t[(t.IndexOf(':') + 1)..], out var i) && i >= 0)
            return ("cuda", i);
        throw new ConfigurationException($"device: invalid value '{text}' (use auto, cpu, cuda or cuda:N)");
    }

    /// <summary>Resolves the configured device; logs what <c>auto</c> picked.</summary>
    public static torch.Device Resolve(IConfiguration config, ILogger log)
    {
        var section = config.GetSection("device");
        var options = OptionsBinder.Bind<DeviceOptions>(section);
        var requested = section.Value ?? options.Type;
        var (kind, index) = Parse(requested);
        TorchRuntime.EnsureLoaded(options.Threads);
        var kernels = ConvKernelSelector.Shared;
        kernels.Mode = ConvKernelSelector.ParseMode(Environment.GetEnvironmentVariable(ConvKernelSelector.ModeVariable))
                       ?? ConvKernelSelector.ParseMode(options.ConvKernels) ?? ConvKernelMode.Auto;
        kernels.Log ??= line => log.LogDebug("{Line}", line);
        if (LibtorchEnvironment.Applied is { } onednn)
            log.LogInformation("oneDNN kernels up to {Isa}: {Reason}; convolutions: {Mode}", onednn.Isa, onednn.Reason,
                kernels.Mode == ConvKernelMode.Auto ? "fastest exact kernel per layer (device:conv_kernels=auto)" : "libtorch only");
        bool cuda = torch.cuda.is_available();
        switch (kind)
        {
            case "cpu":
                return torch.CPU;
            case "cuda":
                if (!cuda)
                    throw new ConfigurationException(
                        $"device: '{requested}' requested but CUDA is not available (this build uses the CPU libtorch; see README \"CUDA\")");
                if (index >= torch.cuda.device_count())
                    throw new ConfigurationException($"device: cuda:{index} does not exist ({torch.cuda.device_count()} CUDA devices)");
                return torch.CUDA;
            default:
                int preferred = options.GpuIds.FirstOrDefault(g => g >= 0, -1);
                if (cuda && preferred >= 0 && preferred < torch.cuda.device_count())
                {
                    log.LogInformation("device auto: picked cuda:{Index}", preferred);
                    return new torch.Device(DeviceType.CUDA, preferred);
                }
                log.LogInformation("device auto: picked cpu ({Threads} threads; CUDA available: {Cuda})", torch.get_num_threads(), cuda);
                return torch.CPU;
        }
    }
}
