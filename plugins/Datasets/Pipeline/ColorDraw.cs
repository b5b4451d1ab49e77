namespace NanoDet.Datasets.Pipeline;

/// <summary>The random colour values of one sample (null = step not taken), see <see cref="ColorAugmentation"/>.</summary>
/// <param name="Brightness">Offset added in [0, 1] units.</param>
/// <param name="Contrast">Gain.</param>
/// <param name="Saturation">Gain on HSV saturation.</param>
public sealed record ColorDraw(double? Brightness, double? Contrast, double? Saturation);
