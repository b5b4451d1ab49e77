namespace NanoDet.Inference.Runtime;

/// <summary>A backend's output: values row-major and the shape ([B, N, K]).</summary>
public sealed record BackendOutput(float[] Values, long[] Shape);
