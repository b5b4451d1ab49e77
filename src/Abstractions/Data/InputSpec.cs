using NanoDet.Inference.Errors;
using NanoDet.Inference.Geometry;

namespace NanoDet.Abstractions.Data;

/// <summary>Network input size as NanoDet's <c>input_size: [w, h]</c> plus <c>keep_ratio</c>.</summary>
public sealed record InputSpec(int Width, int Height, bool KeepRatio);
