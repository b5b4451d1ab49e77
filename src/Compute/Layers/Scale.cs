using TorchSharp;
using TorchSharp.Modules;
using TorchSharp.Utils;
using static TorchSharp.torch;

namespace NanoDet.Compute.Layers;

/// <summary>A learnable scalar multiplied onto the input; its state_dict entry is <c>scale</c> (a 0-d float32 tensor).</summary>
public sealed class Scale : nn.Module<Tensor, Tensor>
{
    [ComponentName(Name = "scale")] private Parameter _scale;

    public Scale(float initial = 1f) : base(nameof(Scale))
    {
        // Detached from any caller's dispose scope: the module owns its parameter (as TorchSharp's own layers do).
        _scale = (Parameter)nn.Parameter(tensor(initial, dtype: float32)).DetachFromDisposeScope();
        register_parameter("scale", _scale);
    }

    /// <summary>The scalar parameter.</summary>
    public Parameter Value => _scale;

    /// <summary>[*] → [*] times the scalar.</summary>
    public override Tensor forward(Tensor x) => x * _scale;
}
