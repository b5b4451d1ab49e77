using NanoDet.Inference.Errors;
using NanoDet.Inference.Geometry;
using OpenCvSharp;

namespace NanoDet.Inference.Pose;

/// <summary>
/// Where a plate is relative to the camera: rotation R (as a Rodrigues vector, OpenCV's <c>rvec</c>) and translation
/// t (metres, OpenCV's <c>tvec</c>) map plate coordinates (origin at the plate centre, x right, y down, z into the
/// plate, metres) to camera coordinates (x right, y down, z forward): p_cam = R·p_plate + t.
/// The Euler angles decompose R = Rz(roll)·Rx(pitch)·Ry(yaw): yaw turns the plate about the camera's vertical axis,
/// pitch tilts it about the horizontal axis, roll turns it in the image plane; all zero = the plate faces the camera.
/// </summary>
public readonly record struct ObjectPose(Vec3d Rvec, Vec3d Tvec)
{
    /// <summary>Distance from the camera centre to the plate centre, metres.</summary>
    public double Distance => Math.Sqrt(Tvec.Item0 * Tvec.Item0 + Tvec.Item1 * Tvec.Item1 + Tvec.Item2 * Tvec.Item2);

    /// <summary>Yaw in radians (about the camera y axis).</summary>
    public double Yaw
    {
        get
        {
            var r = Rotation();
            return Math.Atan2(-r[2, 0], r[2, 2]);
        }
    }

    /// <summary>Pitch in radians (about the camera x axis).</summary>
    public double Pitch => Math.Asin(Math.Clamp(Rotation()[2, 1], -1, 1));

    /// <summary>Roll in radians (about the camera z axis).</summary>
    public double Roll
    {
        get
        {
            var r = Rotation();
            return Math.Atan2(-r[0, 1], r[1, 1]);
        }
    }

    /// <summary>The pose with R = Rz(roll)·Rx(pitch)·Ry(yaw) (radians) and translation <paramref name="t"/> (metres).</summary>
    public static ObjectPose FromAngles(double yaw, double pitch, double roll, Vec3d t)
    {
        var rz = Rot(2, roll);
        var rx = Rot(0, pitch);
        var ry = Rot(1, yaw);
        return new ObjectPose(ToRvec(Multiply(Multiply(rz, rx), ry)), t);
    }

    /// <summary>The 3 × 3 rotation matrix R.</summary>
    public double[,] Rotation()
    {
        double x = Rvec.Item0, y = Rvec.Item1, z = Rvec.Item2;
        double theta = Math.Sqrt(x * x + y * y + z * z);
        var r = new double[3, 3];
        if (theta < 1e-15)
        {
            r[0, 0] = r[1, 1] = r[2, 2] = 1;
            return r;
        }
        double kx = x / theta, ky = y / theta, kz = z / theta, c = Math.Cos(theta), s = Math.Sin(theta), v = 1 - c;
        r[0, 0] = c + kx * kx * v; r[0, 1] = kx * ky * v - kz * s; r[0, 2] = kx * kz * v + ky * s;
        r[1, 0] = ky * kx * v + kz * s; r[1, 1] = c + ky * ky * v; r[1, 2] = ky * kz * v - kx * s;
        r[2, 0] = kz * kx * v - ky * s; r[2, 1] = kz * ky * v + kx * s; r[2, 2] = c + kz * kz * v;
        return r;
    }

    /// <summary>Camera-frame position of plate point (x, y, z) in metres.</summary>
    public Point3d Transform(double x, double y, double z = 0)
    {
        var r = Rotation();
        return new Point3d(
            r[0, 0] * x + r[0, 1] * y + r[0, 2] * z + Tvec.Item0,
            r[1, 0] * x + r[1, 1] * y + r[1, 2] * z + Tvec.Item1,
            r[2, 0] * x + r[2, 1] * y + r[2, 2] * z + Tvec.Item2);
    }

    /// <summary>
    /// Angle in radians of the rotation that takes this pose's orientation to <paramref name="other"/>'s, from the
    /// Frobenius distance ‖Ra − Rb‖ = 2√2·sin(θ/2) (exact near 0, where acos of the trace loses half the digits).
    /// </summary>
    public double RotationAngleTo(ObjectPose other)
    {
        var a = Rotation();
        var b = other.Rotation();
        double sum = 0;
        for (int i = 0; i < 3; i++)
            for (int k = 0; k < 3; k++) sum += (a[i, k] - b[i, k]) * (a[i, k] - b[i, k]);
        return 2 * Math.Asin(Math.Min(1, Math.Sqrt(sum) / (2 * Math.Sqrt(2))));
    }

    /// <summary>Rodrigues vector of a rotation matrix (axis × angle).</summary>
    public static Vec3d ToRvec(double[,] r)
    {
        double cos = Math.Clamp((r[0, 0] + r[1, 1] + r[2, 2] - 1) / 2, -1, 1);
        double theta = Math.Acos(cos);
        if (theta < 1e-12) return new Vec3d(0, 0, 0);
        if (Math.PI - theta < 1e-6)
        {
            // near 180°: axis from the diagonal, sign from the off-diagonal terms
            double kx = Math.Sqrt(Math.Max(0, (r[0, 0] + 1) / 2)), ky = Math.Sqrt(Math.Max(0, (r[1, 1] + 1) / 2)), kz = Math.Sqrt(Math.Max(0, (r[2, 2] + 1) / 2));
            if (kx >= ky && kx >= kz) { ky = Math.CopySign(ky, r[0, 1]); kz = Math.CopySign(kz, r[0, 2]); }
            else if (ky >= kz) { kx = Math.CopySign(kx, r[0, 1]); kz = Math.CopySign(kz, r[1, 2]); }
            else { kx = Math.CopySign(kx, r[0, 2]); ky = Math.CopySign(ky, r[1, 2]); }
            return new Vec3d(kx * theta, ky * theta, kz * theta);
        }
        double f = theta / (2 * Math.Sin(theta));
        return new Vec3d((r[2, 1] - r[1, 2]) * f, (r[0, 2] - r[2, 0]) * f, (r[1, 0] - r[0, 1]) * f);
    }

    /// <summary>Smallest absolute difference of two angles in radians (wrapped to [0, π]).</summary>
    public static double AngleDifference(double a, double b)
    {
        double d = Math.IEEERemainder(a - b, 2 * Math.PI);
        return Math.Abs(d);
    }

    private static double[,] Rot(int axis, double angle)
    {
        double c = Math.Cos(angle), s = Math.Sin(angle);
        return axis switch
        {
            0 => new double[,] { { 1, 0, 0 }, { 0, c, -s }, { 0, s, c } },
            1 => new double[,] { { c, 0, s }, { 0, 1, 0 }, { -s, 0, c } },
            _ => new double[,] { { c, -s, 0 }, { s, c, 0 }, { 0, 0, 1 } },
        };
    }

    private static double[,] Multiply(double[,] a, double[,] b)
    {
        var m = new double[3, 3];
        for (int i = 0; i < 3; i++)
            for (int j = 0; j < 3; j++)
                for (int k = 0; k < 3; k++) m[i, j] += a[i, k] * b[k, j];
        return m;
    }
}
