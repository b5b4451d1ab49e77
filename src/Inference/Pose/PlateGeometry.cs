using System.Globalization;
using NanoDet.Inference.Errors;
using NanoDet.Inference.Geometry;
using OpenCvSharp;

namespace NanoDet.Inference.Pose;

/// <summary>
/// Physical armor plate sizes as the four labelled corners span them: width = distance between the two light bars'
/// centre lines, height = light-bar length (the end points), millimetres. Defaults are the RoboMaster plates as
/// open-source RM vision stacks model them: small 135 × 56 mm, large 225 × 56 mm. A class is large when its name, or
/// the sticker after its last <c>_</c> (<c>B_1</c> → <c>1</c>), is in <see cref="LargeClasses"/>.
/// </summary>
public sealed record PlateGeometry(double SmallWidthMm, double SmallHeightMm, double LargeWidthMm, double LargeHeightMm, IReadOnlyList<string> LargeClasses)
{
    /// <summary>Small plate [width, height] in mm.</summary>
    public static readonly IReadOnlyList<double> DefaultSmall = [135, 56];

    /// <summary>Large plate [width, height] in mm.</summary>
    public static readonly IReadOnlyList<double> DefaultLarge = [225, 56];

    /// <summary>Classes with large plates by default: the hero (1) and the base's large plate (Bb).</summary>
    public static readonly IReadOnlyList<string> DefaultLargeClasses = ["1", "Bb"];

    public static PlateGeometry Default { get; } = new(DefaultSmall[0], DefaultSmall[1], DefaultLarge[0], DefaultLarge[1], DefaultLargeClasses);

    /// <summary>True when <paramref name="className"/> has a large plate.</summary>
    public bool IsLarge(string className)
    {
        int u = className.LastIndexOf('_');
        var sticker = u >= 0 ? className[(u + 1)..] : className;
        return LargeClasses.Any(c => string.Equals(c, className, StringComparison.OrdinalIgnoreCase)
                                     || string.Equals(c, sticker, StringComparison.OrdinalIgnoreCase));
    }

    /// <summary>Width and height in metres of the plate of <paramref name="className"/>.</summary>
    public (double Width, double Height) SizeOf(string className) => IsLarge(className)
        ? (LargeWidthMm / 1000, LargeHeightMm / 1000)
        : (SmallWidthMm / 1000, SmallHeightMm / 1000);

    /// <summary>
    /// The plate's corners in plate coordinates (metres, centre at the origin, x right, y down, z = 0) in the internal
    /// corner order TL, BL, BR, TR — the order every reader produces, whatever the file's <c>point_order</c>.
    /// </summary>
    public static Point3d[] ObjectPoints(double width, double height)
    {
        double a = width / 2, b = height / 2;
        return [new(-a, -b, 0), new(-a, b, 0), new(a, b, 0), new(a, -b, 0)];
    }

    /// <summary>One line for logs.</summary>
    public string Describe() => string.Create(CultureInfo.InvariantCulture,
        $"small {SmallWidthMm:0.#}x{SmallHeightMm:0.#} mm, large {LargeWidthMm:0.#}x{LargeHeightMm:0.#} mm for [{string.Join(", ", LargeClasses)}]");
}
