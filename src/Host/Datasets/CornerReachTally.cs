namespace NanoDet.Host.Datasets;

/// <summary>Counts of <see cref="CornerReach"/> over a dataset.</summary>
public sealed class CornerReachTally
{
    /// <summary>Objects with corners checked (crowd regions excluded).</summary>
    public int Objects { get; set; }

    /// <summary>Objects with no prior strictly inside the box.</summary>
    public int NoPrior { get; set; }

    /// <summary>Objects whose box no level reaches within the DFL cap.</summary>
    public int BoxBeyondRange { get; set; }

    public int ObjectsOutsideQuadrant { get; set; }

    public int CornersOutsideQuadrant { get; set; }

    public int ObjectsBeyondRange { get; set; }

    public int CornersBeyondRange { get; set; }

    /// <summary>A few human-readable examples.</summary>
    public List<string> Examples { get; } = [];

    public void Add(CornerReachTally o)
    {
        Objects += o.Objects;
        NoPrior += o.NoPrior;
        BoxBeyondRange += o.BoxBeyondRange;
        ObjectsOutsideQuadrant += o.ObjectsOutsideQuadrant;
        CornersOutsideQuadrant += o.CornersOutsideQuadrant;
        ObjectsBeyondRange += o.ObjectsBeyondRange;
        CornersBeyondRange += o.CornersBeyondRange;
        Examples.AddRange(o.Examples);
    }
}
