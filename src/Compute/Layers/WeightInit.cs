using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace NanoDet.Compute.Layers;

/// <summary>NanoDet's weight initialisers (docs/reference.md#building-blocks-and-initialisation), applied without recording gradients.</summary>
public static class WeightInit
{
    /// <summary>
    /// Kaiming-normal, mode fan_out, ReLU gain √2 (NanoDet passes "leaky_relu" with a = 0, the same gain), bias 0.
    /// </summary>
    public static void KaimingFanOut(AdaptiveConv2d conv)
    {
        using var _ = no_grad();
        nn.init.kaiming_normal_(conv.weight, a: 0, mode: nn.init.FanInOut.FanOut, nonlinearity: nn.init.NonlinearityType.ReLU);
        if (conv.bias is not null) nn.init.zeros_(conv.bias);
    }

    /// <summary>Weight ~ N(0, <paramref name="std"/>), bias = <paramref name="bias"/> (NanoDet's normal_init).</summary>
    public static void Normal(AdaptiveConv2d conv, double std, double bias = 0)
    {
        using var _ = no_grad();
        nn.init.normal_(conv.weight, 0, std);
        if (conv.bias is not null) nn.init.constant_(conv.bias, bias);
    }

    /// <summary>Norm layer weight 1, bias 0 (BatchNorm2d or GroupNorm; other modules are left alone).</summary>
    public static void ConstantNorm(nn.Module norm, double weight = 1, double bias = 0)
    {
        using var _ = no_grad();
        switch (norm)
        {
            case BatchNorm2d bn:
                if (bn.weight is not null) nn.init.constant_(bn.weight, weight);
                if (bn.bias is not null) nn.init.constant_(bn.bias, bias);
                break;
            case GroupNorm gn:
                if (gn.weight is not null) nn.init.constant_(gn.weight, weight);
                if (gn.bias is not null) nn.init.constant_(gn.bias, bias);
                break;
        }
    }
}
