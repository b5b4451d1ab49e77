namespace NanoDet.Checkpoints.PyTorch;

/// <summary>Which weights the loaded state dict holds.</summary>
internal enum CheckpointWeights
{
    /// <summary>The EMA snapshot (<c>avg_model.*</c>) replaced every raw <c>model.*</c> entry.</summary>
    Ema,

    /// <summary>Raw training weights: the file has no EMA snapshot, or it was ignored on request.</summary>
    Raw,

    /// <summary>The EMA snapshot covered only part of the model; the other entries are raw.</summary>
    Mixed,

    /// <summary>A plain state dict: the file does not say (NanoDet's <c>nanodet_model_best.pth</c> holds EMA weights).</summary>
    AsStored,
}
