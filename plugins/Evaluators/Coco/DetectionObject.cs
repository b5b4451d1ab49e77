using NanoDet.Evaluators.Corners;

namespace NanoDet.Evaluators.Coco;

/// <summary>One detection: COCO box [x, y, w, h], score and optional corners, in double precision.</summary>
internal readonly record struct DetectionObject(int Label, double X, double Y, double W, double H, double Score, Quadrilateral? Points)
{
    /// <summary>pycocotools' <c>loadRes</c>: area = w·h of the box.</summary>
    public double Area => W * H;
}
