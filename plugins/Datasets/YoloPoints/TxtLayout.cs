namespace NanoDet.Datasets.YoloPoints;

/// <summary>Line layouts of one-txt-per-image armor labels (all coordinates normalised to [0, 1]).</summary>
public enum TxtLayout
{
    /// <summary>Decide per file from the count of numbers on a line (9, 13 or 17).</summary>
    Auto = 0,

    /// <summary>SJTU: <c>cls x1 y1 x2 y2 x3 y3 x4 y4</c> (9 numbers); the box is the corners' bounding rectangle.</summary>
    Sjtu = 9,

    /// <summary>YOLO-pose: <c>cls cx cy w h x1 y1 … x4 y4</c> (13 numbers).</summary>
    Pose13 = 13,

    /// <summary>YOLO-pose with visibility: <c>cls cx cy w h x1 y1 v1 … x4 y4 v4</c> (17 numbers).</summary>
    Pose17 = 17,
}
