namespace NanoDet.Abstractions.Coco;

/// <summary>A list of numbers as a COCO entry gives it (<c>bbox</c>, <c>points</c>, <c>keypoints</c>).</summary>
/// <param name="Values">The numbers, or null when the value is not a list of numbers.</param>
/// <param name="Offset">Byte offset of the value.</param>
public sealed record CocoNumbers(double[]? Values, long Offset);
