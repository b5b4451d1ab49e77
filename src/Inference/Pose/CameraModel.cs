using System.Globalization;
using NanoDet.Inference.Errors;
using NanoDet.Inference.Geometry;
using OpenCvSharp;

namespace NanoDet.Inference.Pose;

/// <summary>
/// A calibrated pinhole camera with OpenCV's five-coefficient distortion (k1, k2, p1, p2, k3): intrinsics in pixels of
/// the calibrated resolution <see cref="Width"/> × <see cref="Height"/> (0 × 0 when the calibration did not state it).
/// </summary>
public sealed record CameraModel(
    double Fx, double Fy, double Cx, double Cy,
    double K1 = 0, double K2 = 0, double P1 = 0, double P2 = 0, double K3 = 0,
    int Width = 0, int Height = 0)
{
    /// <summary>Focal length of the default camera in pixels: an 8 mm lens on 4.8 µm pixels (8 / 0.0048).</summary>
    public const double DefaultFocal = 8 / 0.0048;

    /// <summary>
    /// The camera used when none is configured: a typical RoboMaster industrial camera, 1280 × 1024 pixels
    /// (1/2" sensor, 4.8 µm pixels) with an 8 mm lens, principal point in the image centre, no distortion.
    /// </summary>
    public static CameraModel DefaultIndustrial { get; } = new(DefaultFocal, DefaultFocal, 640, 512, Width: 1280, Height: 1024);

    /// <summary>True when any distortion coefficient is non-zero.</summary>
    public bool HasDistortion => K1 != 0 || K2 != 0 || P1 != 0 || P2 != 0 || K3 != 0;

    /// <summary>
    /// The camera for images of <paramref name="width"/> × <paramref name="height"/>: itself when the calibrated size
    /// is unknown or equal, else the intrinsics scaled as for a resized frame (distortion is unit-free and kept).
    /// A different aspect ratio (a crop, not a resize) is an error naming <paramref name="source"/>.
    /// </summary>
    public CameraModel ForImage(int width, int height, string source)
    {
        if (Width <= 0 || Height <= 0 || (width == Width && height == Height)) return this;
        double sx = (double)width / Width, sy = (double)height / Height;
        if (Math.Abs(sx / sy - 1) > 0.01)
            throw new ConfigurationException(string.Create(CultureInfo.InvariantCulture,
                $"{source}: the camera is calibrated for {Width}x{Height} but the image is {width}x{height} (another aspect ratio; only a resized frame can reuse the calibration)"));
        return this with
        {
            Fx = Fx * sx, Fy = Fy * sy, Cx = (Cx + 0.5) * sx - 0.5, Cy = (Cy + 0.5) * sy - 0.5,
            Width = width, Height = height,
        };
    }

    /// <summary>The 3 × 3 camera matrix K.</summary>
    public double[,] Matrix() => new double[,] { { Fx, 0, Cx }, { 0, Fy, Cy }, { 0, 0, 1 } };

    /// <summary>The distortion vector in OpenCV's order (k1, k2, p1, p2, k3).</summary>
    public double[] Distortion() => [K1, K2, P1, P2, K3];

    /// <summary>Image point of camera-frame point <paramref name="p"/> (metres, z forward), with distortion.</summary>
    public Point2d Project(Point3d p)
    {
        double x = p.X / p.Z, y = p.Y / p.Z;
        if (HasDistortion)
        {
            double r2 = x * x + y * y, radial = 1 + r2 * (K1 + r2 * (K2 + r2 * K3));
            double xd = x * radial + 2 * P1 * x * y + P2 * (r2 + 2 * x * x);
            double yd = y * radial + P1 * (r2 + 2 * y * y) + 2 * P2 * x * y;
            (x, y) = (xd, yd);
        }
        return new Point2d(Fx * x + Cx, Fy * y + Cy);
    }

    /// <summary>Unit-free ray (x/z, y/z, 1) through pixel (u, v), ignoring distortion.</summary>
    public Point3d Ray(double u, double v) => new((u - Cx) / Fx, (v - Cy) / Fy, 1);

    /// <summary>One line for logs.</summary>
    public string Describe() => string.Create(CultureInfo.InvariantCulture,
        $"fx {Fx:0.##} fy {Fy:0.##} cx {Cx:0.##} cy {Cy:0.##}, distortion [{K1:0.####}, {K2:0.####}, {P1:0.####}, {P2:0.####}, {K3:0.####}]{(Width > 0 ? $" at {Width}x{Height}" : "")}");
}
