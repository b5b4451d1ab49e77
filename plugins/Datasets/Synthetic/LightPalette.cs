using OpenCvSharp;

namespace NanoDet.Datasets.Synthetic;

/// <summary>
/// Light-bar colours as a camera sees them: a saturated halo and a near-white core tinted by the colour (real
/// frames show a bright, clipped centre with a coloured fringe). "N" (none) is a dark, unlit bar.
/// </summary>
public static class LightPalette
{
    /// <summary>Halo BGR at full intensity.</summary>
    public static Scalar Halo(string color, Random rng) => color switch
    {
        "B" => new Scalar(255, 60 + rng.Next(70), rng.Next(40)),
        "R" => new Scalar(rng.Next(50), 30 + rng.Next(50), 255),
        "P" => new Scalar(235 + rng.Next(20), 30 + rng.Next(50), 190 + rng.Next(60)),
        _ => new Scalar(0, 0, 0),
    };

    /// <summary>Core BGR: near white, keeping a trace of the colour.</summary>
    public static Scalar Core(string color, Random rng) => color switch
    {
        "B" => new Scalar(255, 200 + rng.Next(50), 150 + rng.Next(80)),
        "R" => new Scalar(150 + rng.Next(70), 170 + rng.Next(60), 255),
        "P" => new Scalar(255, 170 + rng.Next(60), 240 + rng.Next(15)),
        _ => Scalar.All(55 + rng.Next(45)),
    };

    /// <summary>A random emissive colour for stray lights (blue, red, purple, white, amber).</summary>
    public static string StrayColor(Random rng) => rng.Next(10) switch
    {
        < 3 => "B",
        < 6 => "R",
        < 7 => "P",
        < 9 => "W",
        _ => "A",
    };

    public static Scalar StrayHalo(string c, Random rng) => c switch
    {
        "W" => Scalar.All(200 + rng.Next(55)),
        "A" => new Scalar(30, 160 + rng.Next(60), 255),
        _ => Halo(c, rng),
    };

    public static Scalar StrayCore(string c, Random rng) => c switch
    {
        "W" => Scalar.All(255),
        "A" => new Scalar(170, 235, 255),
        _ => Core(c, rng),
    };
}
