using System.Globalization;
using System.Text.Json;
using NanoDet.Inference.Errors;
using NanoDet.Inference.Geometry;
using OpenCvSharp;

namespace NanoDet.Inference.Pose;

/// <summary>
/// The <c>pose</c> object written with an annotation (COCO ground truth) or a detection (<c>predictions.json</c>):
/// <c>rvec</c> (Rodrigues, radians) and <c>tvec</c> (metres) as OpenCV's solvePnP returns them, and, derived from
/// them for readers, <c>distance</c> (metres) and <c>yaw</c>, <c>pitch</c>, <c>roll</c> (degrees, see
/// <see cref="ObjectPose"/>). Only <c>rvec</c> and <c>tvec</c> are read back.
/// </summary>
public static class PoseJson
{
    public const string Key = "pose";

    public static void Write(Utf8JsonWriter w, ObjectPose pose)
    {
        w.WritePropertyName(Key);
        w.WriteStartObject();
        Vector(w, "rvec", pose.Rvec);
        Vector(w, "tvec", pose.Tvec);
        Number(w, "distance", pose.Distance);
        Number(w, "yaw", pose.Yaw * 180 / Math.PI);
        Number(w, "pitch", pose.Pitch * 180 / Math.PI);
        Number(w, "roll", pose.Roll * 180 / Math.PI);
        w.WriteEndObject();
    }

    /// <summary>Reads a <c>pose</c> object; false with a reason when it is not one.</summary>
    public static bool TryRead(JsonElement e, out ObjectPose pose, out string error)
    {
        pose = default;
        error = "";
        if (e.ValueKind != JsonValueKind.Object) { error = "'pose' is not an object"; return false; }
        if (!TryVector(e, "rvec", out var r, out error) || !TryVector(e, "tvec", out var t, out error)) return false;
        if (!(t.Item2 > 0)) { error = "'pose.tvec' has z <= 0 (not in front of the camera)"; return false; }
        pose = new ObjectPose(r, t);
        return true;
    }

    private static bool TryVector(JsonElement e, string name, out Vec3d v, out string error)
    {
        v = default;
        error = "";
        if (!e.TryGetProperty(name, out var a) || a.ValueKind != JsonValueKind.Array || a.GetArrayLength() != 3)
        {
            error = $"'pose.{name}' must be 3 numbers";
            return false;
        }
        var x = new double[3];
        int i = 0;
        foreach (var item in a.EnumerateArray())
        {
            if (item.ValueKind != JsonValueKind.Number || !item.TryGetDouble(out x[i]) || !double.IsFinite(x[i]))
            {
                error = $"'pose.{name}'[{i}] = {item.GetRawText()} is not a finite number";
                return false;
            }
            i++;
        }
        v = new Vec3d(x[0], x[1], x[2]);
        return true;
    }

    private static void Vector(Utf8JsonWriter w, string name, Vec3d v)
    {
        w.WritePropertyName(name);
        w.WriteStartArray();
        w.WriteRawValue(Format(v.Item0), skipInputValidation: true);
        w.WriteRawValue(Format(v.Item1), skipInputValidation: true);
        w.WriteRawValue(Format(v.Item2), skipInputValidation: true);
        w.WriteEndArray();
    }

    private static void Number(Utf8JsonWriter w, string name, double v)
    {
        w.WritePropertyName(name);
        w.WriteRawValue(Format(v), skipInputValidation: true);
    }

    private static string Format(double v) => v.ToString("R", CultureInfo.InvariantCulture);
}
