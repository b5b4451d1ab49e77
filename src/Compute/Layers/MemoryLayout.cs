using static TorchSharp.torch;

namespace NanoDet.Compute.Layers;

/// <summary>
/// Channels-last (NHWC strides) activations. On CPU libtorch runs depthwise and small-channel convolutions much
/// faster in this layout (measured about 2× for this network's forward and backward), so the detector converts its
/// input once and the layers keep the layout. TorchSharp has no <c>memory_format</c> argument: a
/// permute–contiguous–permute gives the same strides, which libtorch recognises as channels-last. Values never change.
/// </summary>
public static class MemoryLayout
{
    /// <summary>Same values, NHWC strides: [B, C, H, W] with stride(1) = 1.</summary>
    public static Tensor ToChannelsLast(Tensor x) => x.permute(0, 2, 3, 1).contiguous().permute(0, 3, 1, 2);

    /// <summary>True when a 4-D tensor is laid out channels-last (and has more than one channel).</summary>
    public static bool IsChannelsLast(Tensor x)
    {
        if (x.dim() != 4 || x.shape[1] == 1) return false;
        var s = x.stride();
        return s[1] == 1 && s[3] == x.shape[1] && s[2] == x.shape[1] * x.shape[3];
    }

    /// <summary>
    /// Per-level head outputs [B, K, H_l, W_l] → [B, Σ H_l·W_l, K], priors level by level and row-major in a level.
    /// Goes through [B, H, W, K], a free view for channels-last maps (one copy for NCHW maps, as before).
    /// </summary>
    public static Tensor FlattenLevels(IReadOnlyList<Tensor> levels)
    {
        var parts = new Tensor[levels.Count];
        for (int i = 0; i < levels.Count; i++)
        {
            var t = levels[i];
            parts[i] = t.permute(0, 2, 3, 1).reshape(t.shape[0], -1, t.shape[1]);
        }
        return cat(parts, 1).contiguous();
    }
}
