using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging.Abstractions;
using NanoDet.Abstractions.Data;
using NanoDet.Abstractions.Plugins;
using NanoDet.Inference.Errors;
using NanoDet.Inference.Geometry;
using OpenCvSharp;

namespace NanoDet.Datasets.Tests;

/// <summary>Temp folders, small images and config sections for the tests.</summary>
internal static class TestFiles
{
    public static string NewTempDir(string prefix)
    {
        var d = Path.Combine(Path.GetTempPath(), "nanodet-tests", $"{prefix}-{Guid.NewGuid():N}");
        Directory.CreateDirectory(d);
        return d;
    }

    /// <summary>Writes a mid-grey image of the given size (PNG or JPEG by extension).</summary>
    public static string Image(string path, int width, int height, byte grey = 90)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        using var m = new Mat(height, width, MatType.CV_8UC3, Scalar.All(grey));
        Cv2.ImWrite(path, m);
        return path;
    }

    public static string Text(string path, string content)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, content);
        return path;
    }

    /// <summary>A config section from key/value pairs (keys relative to the section).</summary>
    public static IConfigurationSection Section(string path, params (string Key, string Value)[] values)
    {
        var dict = values.ToDictionary(v => $"{path}:{v.Key}", v => (string?)v.Value);
        return new ConfigurationBuilder().AddInMemoryCollection(dict).Build().GetSection(path);
    }

    /// <summary>Context for calling a plugin factory directly (no resolver needed by dataset plugins).</summary>
    public static PluginContext Context(IConfigurationSection section) => new(section, null!, NullLoggerFactory.Instance);

    public static readonly string FixturesDir = Path.Combine(AppContext.BaseDirectory, "Fixtures");

    public static Quad Quad(params float[] xy) => NanoDet.Inference.Geometry.Quad.FromArray(xy);

    /// <summary>Reasons of a report's skipped items, with locations, for assertion messages.</summary>
    public static string Describe(DatasetReport r) => string.Join("\n", r.Skipped.Select(s => $"{s.Location}: {s.Reason}: {s.Detail}"));
}
