using NanoDet.Evaluators.Corners;

namespace NanoDet.Evaluators.Coco;

/// <summary>
/// One ground-truth object as COCOeval sees it: COCO box [x, y, w, h] and <c>area</c> in double precision
/// (exactly as the JSON gave them), the crowd flag, and the optional corners. <see cref="Ignore"/> marks an
/// object that is ignored like a crowd region but, unlike one, can be matched only once (pycocotools' keypoint
/// evaluation does this to objects without keypoints).
/// </summary>
internal readonly record struct GroundTruthObject(int Label, double X, double Y, double W, double H, double Area, bool IsCrowd, Quadrilateral? Points, bool Ignore = false);
