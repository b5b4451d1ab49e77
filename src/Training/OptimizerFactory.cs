using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace NanoDet.Training;

/// <summary>Builds the optimizer of <c>schedule:optimizer</c> over a model's own trainable parameters.</summary>
public static class OptimizerFactory
{
    /// <summary>
    /// AdamW over the parameters of <paramref name="model"/> that require gradients — the trained model only,
    /// never the EMA copy (docs/reference.md#optimizer). Weight decay applies to every parameter (no norm/bias exemptions).
    /// </summary>
    public static AdamW Create(OptimizerOptions options, nn.Module model) =>
        Create(options, model.parameters().Where(p => p.requires_grad));

    /// <summary>AdamW over <paramref name="parameters"/> with the options' lr, betas, eps, weight decay and amsgrad.</summary>
    public static AdamW Create(OptimizerOptions options, IEnumerable<Parameter> parameters) =>
        optim.AdamW(parameters, lr: options.Lr, beta1: options.EffectiveBetas[0], beta2: options.EffectiveBetas[1], eps: options.Eps,
            weight_decay: options.WeightDecay, amsgrad: options.Amsgrad);
}
