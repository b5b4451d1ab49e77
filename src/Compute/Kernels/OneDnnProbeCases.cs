using static TorchSharp.torch;

namespace NanoDet.Compute.Kernels;

/// <summary>
/// The convolutions the oneDNN probe checks against float64 (training: forward, input and weight gradients; 4 images
/// of 20×24): the layer types of NanoDet-Plus (dense 3×3, depthwise 3×3 and 5×5, strided, 1×1 of head width) in both
/// memory layouts, with channel counts that are not multiples of the 8- or 16-float vector width — the cases where
/// wrong kernels were seen (29/58/116 inputs, 99/106 outputs).
/// </summary>
internal static class OneDnnProbeCases
{
    /// <summary>(in, out, kernel, stride, groups, channels-last) per case.</summary>
    public static readonly IReadOnlyList<(int In, int Out, int Kernel, int Stride, int Groups, bool ChannelsLast)> Cases =
    [
        (64, 99, 1, 1, 1, true), (64, 106, 1, 1, 1, true), (8, 40, 1, 1, 1, true), (116, 116, 1, 1, 1, true),
        (96, 116, 1, 1, 1, false), (192, 64, 1, 1, 1, false),
        (58, 16, 3, 1, 1, false), (29, 16, 3, 1, 1, false), (128, 64, 3, 1, 1, false), (128, 64, 3, 1, 1, true),
        (64, 106, 3, 1, 1, false), (3, 24, 3, 2, 1, false),
        (58, 58, 3, 1, 58, true), (24, 24, 3, 2, 24, false), (64, 64, 5, 1, 64, false), (116, 116, 3, 1, 116, true),
    ];

    /// <summary>Checks libtorch's convolution on every case; returns the worst relative error and its case.</summary>
    public static (double Worst, string Case) Worst()
    {
        var libtorch = new LibtorchConvKernel();
        double worst = 0;
        string worstCase = "";
        foreach (var c in Cases)
        {
            var geometry = new ConvGeometry(c.In, c.Out, c.Kernel, c.Kernel, c.Stride, c.Stride, c.Kernel / 2, c.Kernel / 2, 1, 1, c.Groups, false);
            var call = new ConvCall(geometry, 4, 20, 24, c.ChannelsLast, Training: true);
            using var scope = NewDisposeScope(); // the case's float64 problem and results, freed before the next
            var error = ConvCheck.Create(call, 4, seed: 7).Error(libtorch);
            if (double.IsNaN(error) || error > worst)
            {
                worst = double.IsNaN(error) ? double.PositiveInfinity : error;
                worstCase = call.ToString();
            }
        }
        return (worst, worstCase);
    }
}
