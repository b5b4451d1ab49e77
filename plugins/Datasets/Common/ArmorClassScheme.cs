namespace NanoDet.Datasets.Common;

/// <summary>
/// The seed's 36-class RoboMaster scheme (docs/reference.md#armor-class-table): colour prefix (B blue, R red, N none/grey, P purple) and
/// sticker (G sentry, 1-5, O outpost, Bs base small, Bb base big), label = colour index · 9 + sticker index.
/// </summary>
public static class ArmorClassScheme
{
    /// <summary>Colour prefixes in label order.</summary>
    public static readonly IReadOnlyList<string> Colors = ["B", "R", "N", "P"];

    /// <summary>Sticker suffixes in label order.</summary>
    public static readonly IReadOnlyList<string> Stickers = ["G", "1", "2", "3", "4", "5", "O", "Bs", "Bb"];

    /// <summary>The 36 names B_G..P_Bb in label order (the default class table).</summary>
    public static readonly IReadOnlyList<string> SeedNames =
        Colors.SelectMany(c => Stickers.Select(s => $"{c}_{s}")).ToArray();

    /// <summary>Long colour names accepted in options (blue, red, none/grey/gray, purple) mapped to prefixes.</summary>
    public static string? ColorPrefix(string colour) => colour.Trim().ToLowerInvariant() switch
    {
        "b" or "blue" => "B",
        "r" or "red" => "R",
        "n" or "none" or "grey" or "gray" => "N",
        "p" or "purple" => "P",
        _ => null,
    };

    /// <summary>Sticker suffix in canonical spelling, or null.</summary>
    public static string? StickerName(string sticker)
    {
        var s = sticker.Trim();
        return Stickers.FirstOrDefault(x => string.Equals(x, s, StringComparison.OrdinalIgnoreCase));
    }

    /// <summary>Splits <c>R_3</c> into ("R", "3"); false for names outside the scheme.</summary>
    public static bool TryParse(string name, out string colour, out string sticker)
    {
        colour = sticker = "";
        int u = name.IndexOf('_');
        if (u <= 0) return false;
        var c = name[..u];
        var s = StickerName(name[(u + 1)..]);
        if (!Colors.Contains(c) || s is null) return false;
        colour = c;
        sticker = s;
        return true;
    }
}
