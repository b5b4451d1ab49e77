using NanoDet.Compute.Layers;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace NanoDet.Compute.Tests.Layers;

/// <summary>
/// The inference shortcut (eval mode, no autograd): BatchNorm folded into the convolution, activation in place. It must
/// give the unfused layers' values (within float32 rounding) and follow every change of the weights or statistics.
/// </summary>
public class BatchNormFoldTests
{
    private const double Tolerance = 1e-5;

    /// <summary>max |a − b| / max |b|.</summary>
    private static double RelativeError(Tensor a, Tensor b) =>
        ((a - b).abs().max() / b.abs().max()).item<float>();

    /// <summary>Non-trivial running statistics and affine parameters (a fresh BatchNorm is the identity in eval).</summary>
    private static void Randomise(BatchNorm2d bn, Generator g)
    {
        using var _ = no_grad();
        long c = bn.running_mean!.shape[0];
        bn.running_mean!.copy_(randn(c, generator: g));
        bn.running_var!.copy_(rand(c, generator: g) * 2 + 0.1);
        bn.weight!.copy_(randn(c, generator: g));
        bn.bias!.copy_(randn(c, generator: g));
    }

    /// <summary>The module's output with autograd on: every layer runs unfused.</summary>
    private static Tensor Unfused(nn.Module<Tensor, Tensor> module, Tensor x)
    {
        using var grad = enable_grad();
        return module.forward(x).detach();
    }

    private static Tensor Folded(nn.Module<Tensor, Tensor> module, Tensor x)
    {
        using var _ = no_grad();
        return module.forward(x);
    }

    [Fact]
    public void Version_counters_are_readable_and_count_in_place_writes()
    {
        Assert.True(TensorVersion.IsAvailable, "libtorch's version counter could not be read: folding would be off");
        using var t = zeros(3);
        var v0 = TensorVersion.Of(t);
        using (no_grad()) t.add_(1).mul_(2);
        Assert.Equal(v0 + 2, TensorVersion.Of(t));
    }

    [Theory]
    [InlineData(16, 24, 3, 1, 1, "LeakyReLU")]
    [InlineData(24, 24, 3, 2, 24, "ReLU")]
    [InlineData(29, 58, 1, 1, 1, "LeakyReLU")]
    [InlineData(32, 16, 3, 1, 1, null)]
    public void Folded_conv_module_equals_the_unfused_layers(int inC, int outC, int k, int stride, int groups, string? activation)
    {
        using var scope = NewDisposeScope();
        var g = new Generator(11);
        using var module = new ConvModule(inC, outC, k, stride: stride, padding: k / 2, groups: groups,
            norm: new NormSpec("BN"), activation: activation);
        Randomise((BatchNorm2d)module.Norm!, g);
        module.eval();
        var x = randn([2, inC, 13, 11], generator: g);
        var expected = Unfused(module, x);
        var actual = Folded(module, x);
        Assert.True(module.Conv.HasFoldedWeights, "no_grad in eval mode did not take the folded path");
        Assert.True(RelativeError(actual, expected) < Tolerance, $"error {RelativeError(actual, expected):E2}");
    }

    [Fact]
    public void Folded_depthwise_module_and_layer_chain_equal_the_unfused_layers()
    {
        using var scope = NewDisposeScope();
        var g = new Generator(12);
        using var dw = new DepthwiseConvModule(24, 40, 5, stride: 2, padding: 2, norm: new NormSpec("BN"), activation: "LeakyReLU");
        foreach (var bn in dw.modules().OfType<BatchNorm2d>()) Randomise(bn, g);
        dw.eval();
        var x = randn([1, 24, 20, 16], generator: g);
        Assert.True(RelativeError(Folded(dw, x), Unfused(dw, x)) < Tolerance, "DepthwiseConvModule");

        var conv = new AdaptiveConv2d(24, 48, 1, bias: false);
        var norm = nn.BatchNorm2d(48);
        using var sequential = nn.Sequential(conv, norm, nn.LeakyReLU(0.1));
        Randomise(norm, g);
        sequential.eval();
        var chain = LayerChain.Of(sequential);
        Tensor folded;
        using (no_grad()) folded = chain.Forward(x);
        Assert.True(conv.HasFoldedWeights);
        Assert.True(RelativeError(folded, Unfused(sequential, x)) < Tolerance, "LayerChain");
    }

    [Fact]
    public void Fold_follows_changed_weights_and_statistics_and_train_drops_it()
    {
        using var scope = NewDisposeScope();
        var g = new Generator(13);
        using var module = new ConvModule(16, 32, 3, padding: 1, norm: new NormSpec("BN"), activation: "LeakyReLU");
        var bn = (BatchNorm2d)module.Norm!;
        Randomise(bn, g);
        module.eval();
        var x = randn([1, 16, 9, 9], generator: g);
        var before = Folded(module, x);

        // In-place writes, as an optimizer step, an EMA copy or a state_dict load make them.
        using (no_grad())
        {
            module.Conv.weight.mul_(-0.5);
            bn.running_var!.add_(3);
        }
        var after = Folded(module, x);
        Assert.True(RelativeError(after, Unfused(module, x)) < Tolerance, "stale fold after in-place writes");
        Assert.True(RelativeError(after, before) > 1e-2, "the writes did not change the output");

        // A state_dict load (copy_ into every tensor).
        using var other = new ConvModule(16, 32, 3, padding: 1, norm: new NormSpec("BN"), activation: "LeakyReLU");
        Randomise((BatchNorm2d)other.Norm!, g);
        module.load_state_dict(other.state_dict());
        Assert.True(RelativeError(Folded(module, x), Unfused(module, x)) < Tolerance, "stale fold after load_state_dict");

        // A replaced parameter.
        module.Conv.weight = new Parameter(randn([32, 16, 3, 3], generator: g));
        Assert.True(RelativeError(Folded(module, x), Unfused(module, x)) < Tolerance, "stale fold after a replaced weight");

        // Training mode drops the cache and never folds (BatchNorm uses the batch statistics).
        Assert.True(module.Conv.HasFoldedWeights);
        module.train();
        Assert.False(module.Conv.HasFoldedWeights);
        using (no_grad()) module.forward(randn([2, 16, 9, 9], generator: g));
        Assert.False(module.Conv.HasFoldedWeights, "training mode used the folded path");
    }
}
