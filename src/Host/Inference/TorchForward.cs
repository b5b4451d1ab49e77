namespace NanoDet.Host.Inference;

/// <summary>How the TorchSharp inference backend runs the network's forward on the CPU (<c>device:torch_graph</c>).</summary>
internal enum TorchForward
{
    /// <summary>On the fused CPU kernels (<see cref="NanoDet.Export.FusedPlan"/>); where unavailable, as <see cref="TorchScript"/>.</summary>
    Fused,

    /// <summary>As one compiled TorchScript function on libtorch's kernels (<see cref="NanoDet.Export.TorchScriptPlan"/>); where unavailable, module by module.</summary>
    TorchScript,

    /// <summary>Module by module, as in training.</summary>
    Module,
}
