namespace NanoDet.Abstractions.Coco;

/// <summary>A list of numbers as a COCO entry gives it (<c>bbox</c>, <c>points</c>, <c>keypoints</c>).</summary>
/// <param name="Values">The numbers, or null when the value is not a list of finite numbers.</param>
/// <param name="Offset">Byte offset of the value.</param>
/// <param name="NonFinite">The list is null because one of its numbers is not a finite double (e.g. 1e999).</param>
public sealed record CocoNumbers(double[]? Values, long Offset, bool NonFinite = false);
