using static TorchSharp.torch;

namespace NanoDet.Compute.Kernels;

/// <summary>
/// oneDNN's convolution called directly (libtorch's <c>mkldnn_convolution</c> operator), at the oneDNN level the
/// process runs with. libtorch's own <c>conv2d</c> does not always reach oneDNN: with one thread, a batch below 16 and
/// a 1×1 kernel it takes its native path instead (a matrix product over an NCHW copy of the input, copied back to the
/// input's layout), which at batch 1 costs up to 1.7× more here. TorchSharp has no binding for the operator, so it is
/// called through a one-line TorchScript function compiled once per process; autograd differentiates it like
/// <c>conv2d</c> (libtorch registers its backward), and a channels-last input gives a channels-last output.
/// </summary>
internal sealed class OneDnnDirectKernel : IScriptedConvKernel
{
    public const string KernelName = "onednn-direct";

    private const string Function = "conv";

    // TorchScript's interpreter resolves `torch.<op>` to every ATen operator, including those TorchSharp does not bind.
    // TorchSharp passes only tensors and scalars to a script function, so the int lists are built inside it.
    private static readonly Lazy<jit.CompilationUnit> Compiled = new(() => jit.compile("""
        def conv(x: Tensor, w: Tensor, b: Optional[Tensor], sh: int, sw: int, ph: int, pw: int, dh: int, dw: int, groups: int):
            return torch.mkldnn_convolution(x, w, b, [ph, pw], [sh, sw], [dh, dw], groups)

        """));

    public string Name => KernelName;

    public bool Supports(in ConvCall call) => true;

    public Tensor Forward(Tensor x, Tensor weight, Tensor? bias, in ConvGeometry g) =>
        (Tensor)Compiled.Value.invoke(Function, x, weight, bias, g.StrideH, g.StrideW, g.PadH, g.PadW, g.DilationH, g.DilationW, g.Groups);

    public string Script(string x, string weight, string? bias, long[] inputShape, in ConvGeometry g) =>
        $"torch.mkldnn_convolution({x}, {weight}, {bias ?? "None"}, [{g.PadH}, {g.PadW}], [{g.StrideH}, {g.StrideW}], [{g.DilationH}, {g.DilationW}], {g.Groups})";
}
