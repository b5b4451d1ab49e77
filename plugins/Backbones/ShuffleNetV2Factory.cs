using Microsoft.Extensions.Logging;
using NanoDet.Abstractions.Model;
using NanoDet.Abstractions.Plugins;
using NanoDet.Inference.Detections;
using NanoDet.Inference.Errors;
using NanoDet.Inference.Geometry;

namespace NanoDet.Backbones;

/// <summary>The <c>ShuffleNetV2</c> backbone plugin.</summary>
[NanoDetPlugin(PluginKind.Backbone, "ShuffleNetV2", Description = "ShuffleNetV2 0.5x/1.0x/1.5x/2.0x (NanoDet layout, torchvision key names)")]
public sealed class ShuffleNetV2Factory : PluginFactory<ShuffleNetV2Options, BackboneModule>
{
    // The factory is a singleton; a run that builds the model twice (training copy + EMA copy) warns once.
    private int _warned;

    public override BackboneModule Create(ShuffleNetV2Options options, PluginContext context)
    {
        var log = context.Loggers.CreateLogger("NanoDet.Backbones.ShuffleNetV2");
        bool warn = Interlocked.Exchange(ref _warned, 1) == 0;
        if (warn && options.KernalSize != 3)
            log.LogWarning("{Key}: {Value} has no effect (NanoDet's ShuffleNetV2 always uses 3x3 depthwise kernels)",
                $"{context.Section.Path}:kernal_size", options.KernalSize);
        if (warn && options.Pretrain)
            log.LogWarning(
                "{Key}: true, but the torchvision ImageNet ShuffleNetV2 {Size} weights cannot be downloaded here; the backbone " +
                "starts from its own initialisation unless weights are loaded (a checkpoint or converted torchvision weights)",
                $"{context.Section.Path}:pretrain", options.ModelSize);
        return new ShuffleNetV2(options.ModelSize, options.ResolvedOutStages, options.WithLastConv, options.Activation);
    }
}
