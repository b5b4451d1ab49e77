using static TorchSharp.torch;

namespace NanoDet.Compute.Kernels;

/// <summary>
/// A 1×1 convolution as one matrix product on a channels-last view: [N·H·W, in] × [in, out]. The output keeps the
/// channels-last strides (values in [N, out, H, W] order), so a following pointwise layer reads it without a copy.
/// </summary>
internal sealed class PointwiseGemmKernel : IScriptedConvKernel
{
    public const string KernelName = "gemm-1x1";

    public string Name => KernelName;

    public bool Supports(in ConvCall call) => call.Geometry.IsPointwise;

    public Tensor Forward(Tensor x, Tensor weight, Tensor? bias, in ConvGeometry g)
    {
        long n = x.shape[0], h = x.shape[2], w = x.shape[3];
        using var rows = x.permute(0, 2, 3, 1).reshape(n * h * w, g.InChannels);
        using var w2 = weight.view(g.OutChannels, g.InChannels).t();
        using var y = bias is null ? rows.mm(w2) : bias.addmm(rows, w2);
        using var nhwc = y.view(n, h, w, g.OutChannels);
        return nhwc.permute(0, 3, 1, 2);
    }

    public string Script(string x, string weight, string? bias, long[] inputShape, in ConvGeometry g)
    {
        long n = inputShape[0], h = inputShape[2], w = inputShape[3];
        var rows = $"{x}.permute([0, 2, 3, 1]).reshape([{n * h * w}, {g.InChannels}])";
        var w2 = $"{weight}.view([{g.OutChannels}, {g.InChannels}]).t()";
        var product = bias is null ? $"torch.mm({rows}, {w2})" : $"torch.addmm({bias}, {rows}, {w2})";
        return $"{product}.view([{n}, {h}, {w}, {g.OutChannels}]).permute([0, 3, 1, 2])";
    }
}
