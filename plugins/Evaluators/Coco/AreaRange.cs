namespace NanoDet.Evaluators.Coco;

/// <summary>An area range with inclusive bounds: an object is outside when area &lt; Lo or area &gt; Hi.</summary>
internal readonly record struct AreaRange(string Label, double Lo, double Hi)
{
    public bool Excludes(double area) => area < Lo || area > Hi;
}
