using TorchSharp.Modules;
using static TorchSharp.torch;

namespace NanoDet.Training;

/// <summary>Gradient clipping by the global L2 norm over all parameters (docs/reference.md#gradient-clipping, <c>grad_clip</c> = 35).</summary>
internal static class GradientClipper
{
    /// <summary>
    /// Scales every gradient by max_norm / (‖g‖₂ + 1e-6) when the global norm exceeds <paramref name="maxNorm"/>
    /// (PyTorch's clip_grad_norm_). Parameters without a gradient are skipped. Returns the norm before clipping,
    /// so the caller can detect a non-finite step (and skip it) before the optimizer runs.
    /// </summary>
    public static double ClipGlobalNorm(IEnumerable<Parameter> parameters, double maxNorm)
    {
        if (!(maxNorm > 0)) throw new ArgumentOutOfRangeException(nameof(maxNorm), maxNorm, "grad_clip must be positive");
        var withGrad = parameters.Where(p => p.grad is not null).ToArray();
        if (withGrad.Length == 0) return 0;
        return nn.utils.clip_grad_norm_(withGrad, maxNorm, 2.0);
    }
}
