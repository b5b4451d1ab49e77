using NanoDet.Evaluators.Corners;

namespace NanoDet.Evaluators.Io;

/// <summary>One entry of a COCO results file as read (double precision), with its byte offset for messages.</summary>
internal readonly record struct ResultEntry(int ImageId, int CategoryId, double X, double Y, double W, double H, double Score, Quadrilateral? Points, long Offset);
