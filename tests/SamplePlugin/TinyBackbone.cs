using Microsoft.Extensions.Configuration;
using NanoDet.Abstractions.Model;
using NanoDet.Abstractions.Plugins;
using NanoDet.Inference.Detections;
using NanoDet.Inference.Errors;
using NanoDet.Inference.Geometry;
using TorchSharp;
using static TorchSharp.torch;

namespace NanoDet.SamplePlugin;

/// <summary>Options of <see cref="TinyBackboneFactory"/>.</summary>
public sealed class TinyBackboneOptions
{
    [ConfigurationKeyName("width")]
    [System.ComponentModel.DataAnnotations.Range(1, 512)]
    public int Width { get; set; } = 8;
}

/// <summary>A three-level strided-conv backbone: the smallest thing that satisfies the backbone contract.</summary>
[NanoDetPlugin(PluginKind.Backbone, "TinyBackbone", Description = "sample external plugin (tests)")]
public sealed class TinyBackboneFactory : PluginFactory<TinyBackboneOptions, BackboneModule>
{
    public override BackboneModule Create(TinyBackboneOptions options, PluginContext context) => new TinyBackbone(options.Width);
}

internal sealed class TinyBackbone : BackboneModule
{
    private readonly nn.Module<Tensor, Tensor> c1, c2, c3, c4;
    private readonly int _w;

    public TinyBackbone(int w) : base(nameof(TinyBackbone))
    {
        _w = w;
        c1 = nn.Conv2d(3, w, 3, stride: 4, padding: 1);
        c2 = nn.Conv2d(w, w, 3, stride: 2, padding: 1);
        c3 = nn.Conv2d(w, 2 * w, 3, stride: 2, padding: 1);
        c4 = nn.Conv2d(2 * w, 4 * w, 3, stride: 2, padding: 1);
        RegisterComponents();
    }

    public override IReadOnlyList<int> OutChannels => [_w, 2 * _w, 4 * _w];

    /// <summary>[B, 3, H, W] → [B, w, H/8, W/8], [B, 2w, H/16, W/16], [B, 4w, H/32, W/32].</summary>
    public override Tensor[] forward(Tensor x)
    {
        var s8 = c2.forward(c1.forward(x));
        var s16 = c3.forward(s8);
        var s32 = c4.forward(s16);
        return [s8, s16, s32];
    }
}
