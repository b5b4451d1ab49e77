using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Configuration;
using NanoDet.Inference.Errors;
using NanoDet.Inference.Geometry;

namespace NanoDet.Inference.Pose;

/// <summary>
/// The <c>camera</c> section: <c>file</c> (an OpenCV FileStorage YAML/XML or ROS camera_info YAML calibration) and/or
/// the intrinsics <c>fx, fy, cx, cy</c> (pixels), distortion <c>k1, k2, p1, p2, k3</c> and the calibrated
/// <c>image_size: [w, h]</c>. Keys given next to <c>file</c> override the file's values.
/// </summary>
public sealed class CameraOptions : IValidatableObject
{
    [ConfigurationKeyName("file")] public string? File { get; set; }
    [ConfigurationKeyName("fx")] public double? Fx { get; set; }
    [ConfigurationKeyName("fy")] public double? Fy { get; set; }
    [ConfigurationKeyName("cx")] public double? Cx { get; set; }
    [ConfigurationKeyName("cy")] public double? Cy { get; set; }
    [ConfigurationKeyName("k1")] public double? K1 { get; set; }
    [ConfigurationKeyName("k2")] public double? K2 { get; set; }
    [ConfigurationKeyName("p1")] public double? P1 { get; set; }
    [ConfigurationKeyName("p2")] public double? P2 { get; set; }
    [ConfigurationKeyName("k3")] public double? K3 { get; set; }
    [ConfigurationKeyName("image_size")] public List<int>? ImageSize { get; set; }

    /// <summary>True when the section configures a camera at all.</summary>
    public bool IsSet => !string.IsNullOrWhiteSpace(File) || Fx is not null || Fy is not null || Cx is not null || Cy is not null;

    /// <summary>
    /// The configured camera, or <paramref name="fallback"/> when the section sets none. Errors name
    /// <paramref name="sectionPath"/>'s keys or the calibration file and its key.
    /// </summary>
    public CameraModel? Resolve(string sectionPath, CameraModel? fallback = null)
    {
        if (!IsSet)
            return fallback;
        CameraModel? baseModel = string.IsNullOrWhiteSpace(File) ? null : CameraCalibrationFile.Read(File);
        foreach (var (key, value) in new[] { ("fx", Fx), ("fy", Fy), ("cx", Cx), ("cy", Cy) })
            if (baseModel is null && value is null)
                throw new ConfigurationException($"{sectionPath}:{key}: missing (give fx, fy, cx, cy, or a calibration file in {sectionPath}:file)");
        var m = baseModel ?? new CameraModel(Fx!.Value, Fy!.Value, Cx!.Value, Cy!.Value);
        m = m with
        {
            Fx = Fx ?? m.Fx, Fy = Fy ?? m.Fy, Cx = Cx ?? m.Cx, Cy = Cy ?? m.Cy,
            K1 = K1 ?? m.K1, K2 = K2 ?? m.K2, P1 = P1 ?? m.P1, P2 = P2 ?? m.P2, K3 = K3 ?? m.K3,
            Width = ImageSize is { Count: 2 } s ? s[0] : m.Width,
            Height = ImageSize is { Count: 2 } s2 ? s2[1] : m.Height,
        };
        if (!(m.Fx > 0) || !(m.Fy > 0))
            throw new ConfigurationException($"{sectionPath}: fx and fy must be positive (fx {m.Fx}, fy {m.Fy})");
        return m;
    }

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (ImageSize is { } s && (s.Count != 2 || s[0] < 1 || s[1] < 1))
            yield return new ValidationResult("must be [width, height] in pixels", [nameof(ImageSize)]);
        foreach (var (name, v) in new[] { (nameof(Fx), Fx), (nameof(Fy), Fy) })
            if (v is { } f && !(f > 0))
                yield return new ValidationResult("must be positive", [name]);
    }
}
