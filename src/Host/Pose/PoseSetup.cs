using System.Collections.Concurrent;
using Microsoft.Extensions.Configuration;
using NanoDet.Abstractions.Data;
using NanoDet.Host.Plugins;
using NanoDet.Inference.Errors;
using NanoDet.Inference.Geometry;
using NanoDet.Inference.Pose;

namespace NanoDet.Host.Pose;

/// <summary>
/// What PnP needs besides the corners: the camera (scaled to each image's size when the calibration states its
/// resolution), the plate sizes and the class names that pick small or large plates.
/// </summary>
internal sealed class PoseSetup(CameraModel camera, PlateGeometry plates, IReadOnlyList<string> classNames, string cameraSource)
{
    public const string CameraSection = "camera";
    public const string PlatesSection = "plates";

    private readonly ConcurrentDictionary<(int, int), CameraModel> _cameras = new();

    public CameraModel Camera => camera;
    public PlateGeometry Plates => plates;

    /// <summary>Where the camera came from, for logs and errors (a key path or a file).</summary>
    public string CameraSource => cameraSource;

    /// <summary>
    /// The top-level <c>camera</c> section (with <paramref name="cameraFile"/>, e.g. <c>--camera</c>, as its
    /// <c>file</c>) and <c>plates</c>; null when no camera is configured.
    /// </summary>
    public static PoseSetup? FromConfig(IConfiguration config, string? cameraFile, IReadOnlyList<string> classNames)
    {
        var options = OptionsBinder.Bind<CameraOptions>(config.GetSection(CameraSection));
        if (cameraFile is not null) options.File = cameraFile;
        var camera = options.Resolve(CameraSection);
        if (camera is null) return null;
        var source = options.File is { } f && !string.IsNullOrWhiteSpace(f) ? Path.GetFullPath(f) : CameraSection;
        return new PoseSetup(camera, ConfiguredPlates(config, null), classNames, source);
    }

    /// <summary>
    /// For evaluation: the top-level camera, else the camera a synthetic split in pinhole mode was rendered with
    /// (<c>&lt;split&gt;:camera</c>, default the 1280×1024 industrial camera); null when there is neither.
    /// </summary>
    public static PoseSetup? ForSplit(IConfiguration config, string splitSection, IReadOnlyList<string> classNames, string? cameraFile = null)
    {
        if (FromConfig(config, cameraFile, classNames) is { } top) return top;
        var split = config.GetSection(splitSection);
        if (!string.Equals(split["projection"]?.Trim(), "pinhole", StringComparison.OrdinalIgnoreCase)) return null;
        var path = $"{splitSection}:{CameraSection}";
        var camera = OptionsBinder.Bind<CameraOptions>(config.GetSection(path)).Resolve(path, CameraModel.DefaultIndustrial)!;
        return new PoseSetup(camera, ConfiguredPlates(config, splitSection), classNames, path);
    }

    /// <summary>Top-level <c>plates</c>, else the split's, else the defaults.</summary>
    private static PlateGeometry ConfiguredPlates(IConfiguration config, string? splitSection)
    {
        var top = config.GetSection(PlatesSection);
        if (top.Exists() || splitSection is null) return OptionsBinder.Bind<PlateOptions>(top).Resolve();
        return OptionsBinder.Bind<PlateOptions>(config.GetSection($"{splitSection}:{PlatesSection}")).Resolve();
    }

    /// <summary>The camera for an image of <paramref name="width"/> × <paramref name="height"/>.</summary>
    public CameraModel CameraFor(int width, int height) =>
        _cameras.GetOrAdd((width, height), s => camera.ForImage(s.Item1, s.Item2, cameraSource));

    /// <summary>Plate size of class <paramref name="label"/> in metres.</summary>
    public (double Width, double Height) PlateSize(int label) =>
        plates.SizeOf(label >= 0 && label < classNames.Count ? classNames[label] : "");

    /// <summary>PnP of one plate's corners in an image of the given size; null when there is no solution.</summary>
    public ObjectPose? Solve(int label, Quad corners, int width, int height)
    {
        var (w, h) = PlateSize(label);
        return PlatePoseSolver.Solve(corners, w, h, CameraFor(width, height));
    }
}
