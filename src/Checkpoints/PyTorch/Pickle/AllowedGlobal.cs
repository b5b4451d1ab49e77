using static TorchSharp.torch;

namespace NanoDet.Checkpoints.PyTorch.Pickle;

/// <summary>
/// An allow-listed Python global as it sits on the unpickler's stack. It is a name and a role, never a Python
/// object: the unpickler interprets the few calls it permits itself.
/// </summary>
/// <param name="Module">The module as written in the pickle (e.g. <c>__builtin__</c>).</param>
/// <param name="Name">The attribute name.</param>
/// <param name="Kind">The role the name plays.</param>
/// <param name="Dtype">Element type for storage types and dtypes.</param>
internal sealed record AllowedGlobal(string Module, string Name, GlobalKind Kind, ScalarType? Dtype = null)
{
    public string FullName => $"{Module}.{Name}";
}
