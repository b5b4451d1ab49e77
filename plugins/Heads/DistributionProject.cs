using TorchSharp;
using TorchSharp.Utils;
using static TorchSharp.torch;

namespace NanoDet.Heads;

/// <summary>
/// NanoDet's <c>Integral</c> layer, kept as a module because its buffer <c>project</c> = [0, 1, …, R] (float32, [R+1])
/// is part of the reference state_dict (<c>head.distribution_project.project</c>). Forward is the expectation of each
/// softmaxed group of R+1 logits (docs/reference.md#distribution-integral).
/// </summary>
public sealed class DistributionProject : nn.Module<Tensor, Tensor>
{
    [ComponentName(Name = "project")] private Tensor _project;
    private readonly int _regMax;

    public DistributionProject(int regMax) : base("Integral")
    {
        _regMax = regMax;
        // Detached from any caller's dispose scope: the module owns its buffer.
        _project = linspace(0, regMax, regMax + 1, dtype: float32).DetachFromDisposeScope();
        register_buffer("project", _project);
    }

    /// <summary>The bin values [R+1].</summary>
    public Tensor Project => _project;

    /// <summary>[..., G·(R+1)] logits → [..., G] expected bin index (stride units).</summary>
    public override Tensor forward(Tensor x)
    {
        using var scope = NewDisposeScope();
        int bins = _regMax + 1;
        var shape = x.shape;
        long groups = shape[^1] / bins;
        var p = nn.functional.softmax(x.reshape([.. shape[..^1], groups, bins]), -1);
        return p.matmul(_project.to(x.dtype)).MoveToOuterDisposeScope();
    }
}
