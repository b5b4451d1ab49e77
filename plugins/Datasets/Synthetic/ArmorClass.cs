namespace NanoDet.Datasets.Synthetic;

/// <summary>A class the generator can draw.</summary>
/// <param name="Label">Index in the class table.</param>
/// <param name="Color">Colour prefix: B, R, N or P.</param>
/// <param name="Sticker">Sticker: G, 1-5, O, Bs, Bb.</param>
public sealed record ArmorClass(int Label, string Color, string Sticker);
