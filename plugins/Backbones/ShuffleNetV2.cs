using NanoDet.Abstractions.Export;
using NanoDet.Abstractions.Model;
using NanoDet.Compute.Layers;
using NanoDet.Inference.Detections;
using NanoDet.Inference.Errors;
using NanoDet.Inference.Geometry;
using TorchSharp;
using TorchSharp.Modules;
using TorchSharp.Utils;
using static TorchSharp.torch;

namespace NanoDet.Backbones;

/// <summary>
/// ShuffleNetV2 as NanoDet builds it (docs/reference.md#shufflenetv2-backbone): <c>conv1</c> (3×3 s2 conv, BN, act) → max-pool 3×3 s2 →
/// <c>stage2</c> (4 blocks), <c>stage3</c> (8), <c>stage4</c> (4), the first block of each with stride 2; optionally
/// <c>stage4.conv5</c>. Outputs the selected stages at strides 8, 16, 32. Key names equal torchvision's
/// <c>shufflenet_v2_x*</c> minus <c>conv5</c>/<c>fc</c>.
/// </summary>
public sealed class ShuffleNetV2 : BackboneModule, IOnnxExportable
{
    private static readonly int[] StageRepeats = [4, 8, 4];

    [ComponentName(Name = "conv1")] private readonly Sequential _conv1;
    [ComponentName(Name = "maxpool")] private readonly MaxPool2d _maxpool;
    [ComponentName(Name = "stage2")] private readonly Sequential _stage2;
    [ComponentName(Name = "stage3")] private readonly Sequential _stage3;
    [ComponentName(Name = "stage4")] private readonly Sequential _stage4;
    private readonly LayerChain _conv1Chain;
    private readonly int[] _outStages;
    private readonly int[] _outChannels;

    /// <summary>Builds the network for <c>modelSize</c> (0.5x, 1.0x, 1.5x, 2.0x) returning <c>outStages</c> (subset of 2, 3, 4).</summary>
    public ShuffleNetV2(string modelSize, IReadOnlyList<int> outStages, bool withLastConv, string activation)
        : base(nameof(ShuffleNetV2))
    {
        var channels = StageChannels(modelSize);
        _outStages = outStages.Order().ToArray();
        int input = channels[0];
        _conv1 = nn.Sequential(
            new AdaptiveConv2d(3, input, 3, stride: 2, padding: 1, bias: false),
            nn.BatchNorm2d(input),
            Activation.Create(activation) ?? nn.Identity());
        _maxpool = nn.MaxPool2d(3, stride: 2, padding: 1);

        var stages = new Sequential[3];
        var stageOut = new int[3];
        for (int s = 0; s < 3; s++)
        {
            int output = channels[s + 1];
            var blocks = new List<(string, nn.Module<Tensor, Tensor>)> { ("0", new ShuffleV2Block(input, output, 2, activation)) };
            for (int i = 1; i < StageRepeats[s]; i++)
                blocks.Add((i.ToString(System.Globalization.CultureInfo.InvariantCulture), new ShuffleV2Block(output, output, 1, activation)));
            if (s == 2 && withLastConv)
            {
                int last = channels[4];
                blocks.Add(("conv5", nn.Sequential(
                    new AdaptiveConv2d(output, last, 1, bias: false),
                    nn.BatchNorm2d(last),
                    Activation.Create(activation) ?? nn.Identity())));
                output = last;
            }
            stages[s] = nn.Sequential(blocks);
            stageOut[s] = output;
            input = channels[s + 1];
        }
        (_stage2, _stage3, _stage4) = (stages[0], stages[1], stages[2]);
        register_module("conv1", _conv1);
        _conv1Chain = LayerChain.Of(_conv1);
        register_module("maxpool", _maxpool);
        register_module("stage2", _stage2);
        register_module("stage3", _stage3);
        register_module("stage4", _stage4);
        _outChannels = _outStages.Select(s => stageOut[s - 2]).ToArray();
        InitializeWeights();
    }

    /// <summary>NanoDet's <c>_stage_out_channels</c>: conv1, stage2, stage3, stage4, conv5.</summary>
    public static int[] StageChannels(string modelSize) => modelSize switch
    {
        "0.5x" => [24, 48, 96, 192, 1024],
        "1.0x" => [24, 116, 232, 464, 1024],
        "1.5x" => [24, 176, 352, 704, 1024],
        "2.0x" => [24, 244, 488, 976, 2048],
        _ => throw new ArgumentException($"unknown ShuffleNetV2 model_size '{modelSize}'", nameof(modelSize)),
    };

    public override IReadOnlyList<int> OutChannels => _outChannels;

    /// <summary>[B, 3, H, W] → one map per selected stage: [B, C_s, H/2^s, W/2^s] for s in out_stages (strides 8, 16, 32).</summary>
    public override Tensor[] forward(Tensor x)
    {
        var outputs = new List<Tensor>(_outStages.Length);
        using (var scope = NewDisposeScope())
        {
            var y = MaxPool(_conv1Chain.Forward(x));
            Sequential[] stages = [_stage2, _stage3, _stage4];
            for (int s = 2; s <= 4; s++)
            {
                y = stages[s - 2].forward(y);
                if (_outStages.Contains(s)) outputs.Add(y.MoveToOuterDisposeScope());
            }
        }
        return [.. outputs];
    }

    /// <summary>
    /// The stem's 3×3 stride-2 max-pool, [B, 24, H/2, W/2] → [B, 24, H/4, W/4]. Without autograd an NCHW map is pooled
    /// through a channels-last copy and copied back: libtorch's NCHW max-pool of this map took 4.5–5 ms at batch 1 and
    /// 320×320 against 0.33 ms for the channels-last one (one thread, `benchmarks -- infer-profile`), and a maximum is
    /// the same number in any layout. With autograd on (training) the layer runs as is.
    /// </summary>
    private Tensor MaxPool(Tensor x)
    {
        if (is_grad_enabled() || MemoryLayout.IsChannelsLast(x)) return _maxpool.forward(x);
        using var channelsLast = MemoryLayout.ToChannelsLast(x);
        using var pooled = _maxpool.forward(channelsLast);
        return pooled.contiguous();
    }

    /// <summary>
    /// NanoDet's own init (docs/reference.md#building-blocks-and-initialisation): every conv ~ N(0, 1/weight.shape[1]); BN weight 1, bias 1e-4, running mean 0.
    /// </summary>
    private void InitializeWeights()
    {
        using var _ = no_grad();
        foreach (var (_, m) in named_modules())
        {
            switch (m)
            {
                case AdaptiveConv2d conv:
                    nn.init.normal_(conv.weight, 0, 1.0 / conv.weight.shape[1]);
                    if (conv.bias is not null) nn.init.zeros_(conv.bias);
                    break;
                case BatchNorm2d bn:
                    nn.init.ones_(bn.weight);
                    nn.init.constant_(bn.bias, 1e-4);
                    bn.running_mean!.zero_();
                    break;
            }
        }
    }

    /// <summary>[B, 3, H, W] → the selected stage maps, as <see cref="forward"/>.</summary>
    public IReadOnlyList<OnnxValue> ExportOnnx(IOnnxGraphBuilder graph, IReadOnlyList<OnnxValue> inputs)
    {
        OnnxValue y;
        using (graph.Scope("conv1")) y = graph.Module(_conv1, inputs[0]);
        using (graph.Scope("maxpool")) y = graph.Module(_maxpool, y);
        var outputs = new List<OnnxValue>(_outStages.Length);
        Sequential[] stages = [_stage2, _stage3, _stage4];
        for (int s = 2; s <= 4; s++)
        {
            using (graph.Scope($"stage{s}")) y = graph.Module(stages[s - 2], y);
            if (_outStages.Contains(s)) outputs.Add(y);
        }
        return outputs;
    }
}
