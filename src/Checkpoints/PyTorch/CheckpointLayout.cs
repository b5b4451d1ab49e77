namespace NanoDet.Checkpoints.PyTorch;

/// <summary>How the weights sit inside a PyTorch checkpoint (docs/reference.md#weight-names-and-checkpoint-loading).</summary>
internal enum CheckpointLayout
{
    /// <summary>The top level is the state_dict itself (<c>torch.save(model.state_dict(), f)</c>).</summary>
    StateDict,

    /// <summary><c>{"state_dict": ...}</c> with nothing Lightning-specific (NanoDet's <c>nanodet_model_best.pth</c>).</summary>
    WrappedStateDict,

    /// <summary>A PyTorch Lightning checkpoint (<c>.ckpt</c>): <c>state_dict</c> with <c>model.</c>/<c>avg_model.</c> keys, <c>epoch</c>, <c>global_step</c>, ...</summary>
    Lightning,

    /// <summary>Pre-Lightning NanoDet: <c>{"epoch", "state_dict", "iter"[, "optimizer"]}</c>, keys optionally prefixed <c>module.</c>.</summary>
    LegacyNanoDet,
}
