namespace NanoDet.Checkpoints.PyTorch.Pickle;

/// <summary>Stands for Python's None where .NET collections cannot hold null (dict keys, set items).</summary>
internal sealed class PickleNone
{
    public static readonly PickleNone Instance = new();

    private PickleNone() { }

    public override string ToString() => "None";
}
