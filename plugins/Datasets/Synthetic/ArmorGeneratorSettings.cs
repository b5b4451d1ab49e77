using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using NanoDet.Abstractions.Plugins;
using NanoDet.Datasets.Common;
using NanoDet.Inference.Errors;
using NanoDet.Inference.Geometry;
using NanoDet.Inference.Pose;

namespace NanoDet.Datasets.Synthetic;

/// <summary>The generator's resolved settings; <see cref="Key"/> names its cache folder (any change regenerates).</summary>
public sealed record ArmorGeneratorSettings
{
    /// <summary>Bump when the drawing code changes what a seed produces, so old caches are not reused.</summary>
    public const int GeneratorVersion = 1;

    public required int Count { get; init; }
    public required int Seed { get; init; }
    public required string Split { get; init; }
    public required int Width { get; init; }
    public required int Height { get; init; }
    public required IReadOnlyList<string> ClassNames { get; init; }
    public required IReadOnlyList<ArmorClass> Classes { get; init; }
    public int ObjectsMin { get; init; } = 1;
    public int ObjectsMax { get; init; } = 3;
    public double BarMin { get; init; } = 0.035;
    public double BarMax { get; init; } = 0.28;
    public double NegativeFraction { get; init; } = 0.05;
    public double Occlusion { get; init; } = 0.15;
    public double Blur { get; init; } = 0.5;
    public double Noise { get; init; } = 6;
    public double MaxYaw { get; init; } = 55;
    public double MaxPitch { get; init; } = 25;
    public double MaxRoll { get; init; } = 20;
    public int DistractorsMin { get; init; }
    public int DistractorsMax { get; init; } = 4;
    public string ImageFormat { get; init; } = "jpg";
    public int JpegQuality { get; init; } = 92;

    /// <summary>Fraction of plates that may be cut by the frame edge (<see cref="BorderPlacement"/>); 0 = none.</summary>
    public double BorderFraction { get; init; }

    /// <summary>Pinhole mode: the camera at <see cref="Width"/> × <see cref="Height"/>; null in screen mode.</summary>
    public CameraModel? Camera { get; init; }

    /// <summary>Pinhole mode: physical plate sizes per class.</summary>
    public PlateGeometry Plates { get; init; } = PlateGeometry.Default;

    /// <summary>Pinhole mode: distance range in metres.</summary>
    public double DistanceMin { get; init; } = 1;
    public double DistanceMax { get; init; } = 8;

    /// <summary>Resolves options; errors name <paramref name="sectionPath"/>.</summary>
    public static ArmorGeneratorSettings From(SyntheticArmorOptions o, string sectionPath)
    {
        var names = o.ClassNamesOrDefault;
        var colours = (o.Colors is { Count: > 0 } c ? c : ["blue", "red", "none", "purple"]).Select(x => ArmorClassScheme.ColorPrefix(x)!).ToHashSet();
        var stickers = (o.Numbers is { Count: > 0 } n ? n : ArmorClassScheme.Stickers).Select(x => ArmorClassScheme.StickerName(x)!).ToHashSet();
        var classes = new List<ArmorClass>();
        for (int i = 0; i < names.Count; i++)
            if (ArmorClassScheme.TryParse(names[i], out var col, out var st) && colours.Contains(col) && stickers.Contains(st))
                classes.Add(new ArmorClass(i, col, st));
        if (classes.Count == 0)
            throw new ConfigurationException(
                $"{sectionPath}: no name in class_names is a colour_sticker class (e.g. B_1, R_O) within colors × numbers; nothing to generate");
        int width = o.ImageSize is { Count: 2 } s ? s[0] : 416, height = o.ImageSize is { Count: 2 } s2 ? s2[1] : 320;
        var camera = o.IsPinhole
            ? (o.Camera?.Resolve($"{sectionPath}:camera", CameraModel.DefaultIndustrial) ?? CameraModel.DefaultIndustrial).ForImage(width, height, $"{sectionPath}:camera")
            : null;
        return new ArmorGeneratorSettings
        {
            Camera = camera,
            Plates = o.Plates?.Resolve() ?? PlateGeometry.Default,
            DistanceMin = o.Distance is { Count: 2 } dr ? dr[0] : 1,
            DistanceMax = o.Distance is { Count: 2 } dr2 ? dr2[1] : 8,
            Count = o.Count,
            Seed = o.Seed,
            Split = o.Split.Trim(),
            Width = width,
            Height = height,
            ClassNames = names.ToArray(),
            Classes = classes,
            ObjectsMin = o.ObjectsPerImage is { Count: 2 } op ? op[0] : 1,
            ObjectsMax = o.ObjectsPerImage is { Count: 2 } op2 ? op2[1] : 3,
            BarMin = o.BarLength is { Count: 2 } bl ? bl[0] : 0.035,
            BarMax = o.BarLength is { Count: 2 } bl2 ? bl2[1] : 0.28,
            NegativeFraction = o.NegativeFraction,
            Occlusion = o.Occlusion,
            Blur = o.Blur,
            Noise = o.Noise,
            MaxYaw = o.MaxYaw,
            MaxPitch = o.MaxPitch,
            MaxRoll = o.MaxRoll,
            DistractorsMin = o.Distractors is { Count: 2 } d ? d[0] : 0,
            DistractorsMax = o.Distractors is { Count: 2 } d2 ? d2[1] : 4,
            ImageFormat = o.ImageFormat.Trim().ToLowerInvariant(),
            JpegQuality = o.JpegQuality,
            BorderFraction = o.BorderFraction,
        };
    }

    /// <summary>Every setting that changes the output, as one canonical line.</summary>
    public string Describe()
    {
        var inv = CultureInfo.InvariantCulture;
        var line = string.Join(";",
            $"v={GeneratorVersion}", $"count={Count}", $"seed={Seed}", $"split={Split}", $"size={Width}x{Height}",
            $"names={string.Join(",", ClassNames)}", $"classes={string.Join(",", Classes.Select(c => c.Label))}",
            $"objects={ObjectsMin}-{ObjectsMax}", string.Create(inv, $"bar={BarMin:R}-{BarMax:R}"),
            string.Create(inv, $"neg={NegativeFraction:R}"), string.Create(inv, $"occ={Occlusion:R}"), string.Create(inv, $"blur={Blur:R}"),
            string.Create(inv, $"noise={Noise:R}"), string.Create(inv, $"pose={MaxYaw:R},{MaxPitch:R},{MaxRoll:R}"),
            $"distractors={DistractorsMin}-{DistractorsMax}", $"format={ImageFormat}", $"q={JpegQuality}")
            // appended only when set, so the cache keys of settings without it stay the same
            + (BorderFraction > 0 ? string.Create(inv, $";border={BorderFraction:R}") : "");
        // screen mode adds nothing, so the default data keep their cache key
        return Camera is null ? line : line + ";" + string.Join(";", string.Create(inv, $"camera={Camera.Fx:R},{Camera.Fy:R},{Camera.Cx:R},{Camera.Cy:R},{string.Join(",", Camera.Distortion().Select(d => d.ToString("R", inv)))}"), $"plates={Plates.Describe()}",
            string.Create(inv, $"distance={DistanceMin:R}-{DistanceMax:R}"));
    }

    /// <summary>Cache folder name: readable prefix + hash of <see cref="Describe"/>.</summary>
    public string Key()
    {
        var hash = Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(Describe())))[..12].ToLowerInvariant();
        var split = new string(Split.Select(ch => char.IsLetterOrDigit(ch) ? ch : '_').ToArray());
        return $"armor-{split}-{Count}-{Width}x{Height}-{hash}";
    }

    /// <summary>Image file name of index <paramref name="i"/>.</summary>
    public string FileName(int i) => $"{i:D6}.{ImageFormat}";
}
