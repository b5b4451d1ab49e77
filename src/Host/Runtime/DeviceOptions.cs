using Microsoft.Extensions.Configuration;

namespace NanoDet.Host.Runtime;

/// <summary>
/// The <c>device</c> section. Its own value selects the device (<c>auto|cpu|cuda[:N]</c>); NanoDet's keys
/// (<c>gpu_ids</c>, <c>workers_per_gpu</c>, <c>batchsize_per_gpu</c>, <c>precision</c>) are read alongside so a
/// NanoDet YAML loads unchanged.
/// </summary>
internal sealed class DeviceOptions
{
    /// <summary>
    /// The device when <c>device</c> itself holds NanoDet's mapping (a file cannot give <c>device</c> both a value and
    /// keys): <c>auto|cpu|cuda[:N]</c>. A value set on <c>device</c> (e.g. <c>--set device=cpu</c>) wins.
    /// </summary>
    [ConfigurationKeyName("type")]
    public string? Type { get; set; }

    [ConfigurationKeyName("gpu_ids")]
    public int[] GpuIds { get; set; } = [];

    [ConfigurationKeyName("workers_per_gpu")]
    [System.ComponentModel.DataAnnotations.Range(0, 256)]
    public int WorkersPerGpu { get; set; } = 2;

    [ConfigurationKeyName("batchsize_per_gpu")]
    [System.ComponentModel.DataAnnotations.Range(1, 4096)]
    public int BatchSizePerGpu { get; set; } = 32;

    /// <summary>NanoDet's precision (32 only: fp16 training is not supported on CPU).</summary>
    [ConfigurationKeyName("precision")]
    [System.ComponentModel.DataAnnotations.AllowedValues(32)]
    public int Precision { get; set; } = 32;

    /// <summary>
    /// How convolutions are computed on the CPU: <c>auto</c> (per layer shape, the fastest implementation that matches
    /// float64; docs/kernels.md) or <c>libtorch</c> (libtorch's own convolution everywhere, the behaviour before kernel
    /// selection). The environment variable <c>NANODET_CONV_KERNELS</c>, when set, wins.
    /// </summary>
    [ConfigurationKeyName("conv_kernels")]
    [System.ComponentModel.DataAnnotations.AllowedValues("auto", "libtorch")]
    public string ConvKernels { get; set; } = "auto";

    /// <summary>
    /// How the TorchSharp inference backend (<c>predict --backend torch</c>) runs the forward on the CPU:
    /// <c>fused</c> (the default: on the product's own fused CPU kernels, no libtorch call per operation; where the CPU
    /// or the graph has no fused form, as <c>torchscript</c>), <c>torchscript</c> (one compiled TorchScript function
    /// on libtorch's kernels), <c>module</c> (module by module). <c>true</c> means <c>fused</c> and <c>false</c>
    /// <c>module</c>, as when this key was a switch. docs/kernels.md, "Inference at batch 1".
    /// </summary>
    [ConfigurationKeyName("torch_graph")]
    [System.ComponentModel.DataAnnotations.AllowedValues("fused", "torchscript", "module", "true", "false", "True", "False")]
    public string TorchGraph { get; set; } = "fused";

    /// <summary><see cref="TorchGraph"/> as the backend's setting.</summary>
    public Inference.TorchForward TorchForward => TorchGraph.ToLowerInvariant() switch
    {
        "torchscript" => Inference.TorchForward.TorchScript,
        "module" or "false" => Inference.TorchForward.Module,
        _ => Inference.TorchForward.Fused,
    };

    /// <summary>
    /// Intra-op threads of libtorch (which the torch backend's fused CPU kernels also use) and, in <c>predict</c> and
    /// <c>eval --checkpoint</c>, of ONNX Runtime; 0 = their defaults (libtorch: all cores; ONNX Runtime: one per physical core).
    /// </summary>
    [ConfigurationKeyName("threads")]
    [System.ComponentModel.DataAnnotations.Range(0, 1024)]
    public int Threads { get; set; }
}
