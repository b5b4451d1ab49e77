namespace NanoDet.Host.Datasets;

/// <summary>Counts of <see cref="CornerReach"/> over a dataset.</summary>
internal sealed class CornerReachTally
{
    /// <summary>Objects with corners checked (crowd regions excluded).</summary>
    public int Objects { get; set; }

    /// <summary>Objects with no candidate prior under the assigner's rule.</summary>
    public int NoPrior { get; set; }

    /// <summary>Objects whose box no level reaches within the DFL cap.</summary>
    public int BoxBeyondRange { get; set; }

    /// <summary>Objects with a corner on the wrong side of its quadrant (the quadrant encoding's clamp).</summary>
    public int ObjectsOutsideQuadrant { get; set; }

    public int CornersOutsideQuadrant { get; set; }

    /// <summary>Objects with a corner the quadrant encoding clamps (wrong side or beyond the cap).</summary>
    public int ObjectsUnrepresentableQuadrant { get; set; }

    public int CornersUnrepresentableQuadrant { get; set; }

    /// <summary>Objects with a corner the signed encoding clamps (beyond ±cap).</summary>
    public int ObjectsUnrepresentableSigned { get; set; }

    public int CornersUnrepresentableSigned { get; set; }

    /// <summary>A few human-readable examples.</summary>
    public List<string> Examples { get; } = [];

    public void Add(CornerReachTally o)
    {
        Objects += o.Objects;
        NoPrior += o.NoPrior;
        BoxBeyondRange += o.BoxBeyondRange;
        ObjectsOutsideQuadrant += o.ObjectsOutsideQuadrant;
        CornersOutsideQuadrant += o.CornersOutsideQuadrant;
        ObjectsUnrepresentableQuadrant += o.ObjectsUnrepresentableQuadrant;
        CornersUnrepresentableQuadrant += o.CornersUnrepresentableQuadrant;
        ObjectsUnrepresentableSigned += o.ObjectsUnrepresentableSigned;
        CornersUnrepresentableSigned += o.CornersUnrepresentableSigned;
        Examples.AddRange(o.Examples);
    }
}
