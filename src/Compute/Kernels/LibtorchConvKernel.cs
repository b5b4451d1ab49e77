using static TorchSharp.torch;

namespace NanoDet.Compute.Kernels;

/// <summary>
/// libtorch's own convolution (<c>conv2d</c>): oneDNN on the CPU at the instruction-set level the process runs with,
/// libtorch's native kernels where oneDNN does not take the shape, cuDNN on a GPU. Today's behaviour, and the only
/// kernel off the CPU.
/// </summary>
internal sealed class LibtorchConvKernel : IScriptedConvKernel
{
    public const string KernelName = "libtorch";

    public string Name => KernelName;

    public bool Supports(in ConvCall call) => true;

    public Tensor Forward(Tensor x, Tensor weight, Tensor? bias, in ConvGeometry g) =>
        nn.functional.conv2d(x, weight, bias, [g.StrideH, g.StrideW], [g.PadH, g.PadW], [g.DilationH, g.DilationW], g.Groups);

    public string Script(string x, string weight, string? bias, long[] inputShape, in ConvGeometry g) =>
        $"torch.conv2d({x}, {weight}, {bias ?? "None"}, [{g.StrideH}, {g.StrideW}], [{g.PadH}, {g.PadW}], [{g.DilationH}, {g.DilationW}], {g.Groups})";
}
