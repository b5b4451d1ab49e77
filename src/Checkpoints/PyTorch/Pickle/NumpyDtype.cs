namespace NanoDet.Checkpoints.PyTorch.Pickle;

/// <summary>A numpy scalar dtype (<c>f8</c>, <c>i4</c>, <c>b1</c>, ...); its byte order arrives later through BUILD.</summary>
internal sealed class NumpyDtype(char kind, int itemSize)
{
    /// <summary>numpy kind letter: f (float), i (signed), u (unsigned), b (bool), c (complex).</summary>
    public char Kind { get; } = kind;

    public int ItemSize { get; } = itemSize;

    public bool BigEndian { get; set; }

    public override string ToString() => $"{Kind}{ItemSize}";
}
