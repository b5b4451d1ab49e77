namespace NanoDet.Abstractions.Export;

/// <summary>
/// A tensor in an ONNX graph being built: its unique name and its static shape. Dimension 0 is always the batch
/// (exported with size 1, or symbolic with dynamic batch); builders keep it symbolic where ops allow.
/// </summary>
/// <param name="Name">Unique value name in the graph.</param>
/// <param name="Shape">Shape with batch 1 at index 0, e.g. [1, C, H, W].</param>
public sealed record OnnxValue(string Name, long[] Shape)
{
    /// <summary>Number of dimensions.</summary>
    public int Rank => Shape.Length;

    public override string ToString() => $"{Name}[{string.Join(", ", Shape)}]";
}
