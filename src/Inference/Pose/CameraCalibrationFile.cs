using System.Globalization;
using System.Text.RegularExpressions;
using NanoDet.Inference.Errors;
using NanoDet.Inference.Geometry;
using OpenCvSharp;

namespace NanoDet.Inference.Pose;

/// <summary>
/// Reads a camera calibration in either of the formats calibration tools write: OpenCV <c>FileStorage</c> YAML or XML
/// (<c>camera_matrix</c> and <c>distortion_coefficients</c> as <c>opencv-matrix</c> nodes, as <c>cv::calibrateCamera</c>
/// samples save them) or a ROS <c>camera_info</c> YAML (<c>camera_matrix</c> / <c>distortion_coefficients</c> mappings
/// with <c>rows</c>, <c>cols</c>, <c>data</c>, and <c>distortion_model: plumb_bob</c>). <c>image_width</c> and
/// <c>image_height</c> are read when present. Every problem is one line naming the file and the key.
/// </summary>
public static partial class CameraCalibrationFile
{
    public const string MatrixKey = "camera_matrix";
    public const string DistortionKey = "distortion_coefficients";

    public static CameraModel Read(string path)
    {
        var full = Path.GetFullPath(path);
        if (!System.IO.File.Exists(full)) throw new InputDataException($"{full}: calibration file not found");
        string text;
        try { text = System.IO.File.ReadAllText(full); }
        catch (IOException e) { throw new InputDataException($"{full}: cannot read the calibration file ({e.Message})", e); }
        bool xml = text.TrimStart().StartsWith('<');
        int added = 0;
        // OpenCV's YAML reader wants its directive line; ROS camera_info files are plain YAML without it.
        if (!xml && !text.TrimStart().StartsWith("%YAML", StringComparison.Ordinal))
        {
            text = "%YAML:1.0\n---\n" + text;
            added = 2;
        }
        FileStorage fs;
        try
        {
            fs = new FileStorage(text, FileStorage.Modes.Read | FileStorage.Modes.Memory | (xml ? FileStorage.Modes.FormatXml : FileStorage.Modes.FormatYaml));
        }
        catch (OpenCVException e)
        {
            throw new InputDataException($"{full}: not a readable OpenCV FileStorage or ROS camera_info file{ParseLocation(e.Message, added)}", e);
        }
        using (fs)
        {
            if (!fs.IsOpened()) throw new InputDataException($"{full}: not a readable OpenCV FileStorage or ROS camera_info file");
            var k = Numbers(fs, full, MatrixKey);
            if (k.Length != 9)
                throw new InputDataException($"{full}: {MatrixKey}: 9 numbers expected (3x3), found {k.Length}");
            if (!(k[0] > 0) || !(k[4] > 0) || k[1] != 0 && Math.Abs(k[1]) > 1e-9 * k[0] || k[3] != 0 || k[6] != 0 || k[7] != 0 || k[8] != 1)
                throw new InputDataException(string.Create(CultureInfo.InvariantCulture,
                    $"{full}: {MatrixKey}: not a camera matrix [fx 0 cx; 0 fy cy; 0 0 1] (read [{string.Join(", ", k)}])"));
            var d = Numbers(fs, full, DistortionKey);
            if (d.Length is not (0 or 4 or 5 or 8 or 12 or 14))
                throw new InputDataException($"{full}: {DistortionKey}: 4, 5, 8, 12 or 14 numbers expected, found {d.Length}");
            for (int i = 5; i < d.Length; i++)
                if (d[i] != 0)
                    throw new InputDataException($"{full}: {DistortionKey}: only k1, k2, p1, p2, k3 are supported; coefficient {i + 1} is {d[i].ToString(CultureInfo.InvariantCulture)}");
            double Coef(int i) => i < d.Length ? d[i] : 0;
            return new CameraModel(k[0], k[4], k[2], k[5], Coef(0), Coef(1), Coef(2), Coef(3), Coef(4),
                Integer(fs, full, "image_width"), Integer(fs, full, "image_height"));
        }
    }

    /// <summary>Writes <paramref name="camera"/> as OpenCV FileStorage YAML (or XML for a <c>.xml</c> path), readable by <see cref="Read"/>.</summary>
    public static void Write(string path, CameraModel camera)
    {
        using var fs = new FileStorage(path, FileStorage.Modes.Write);
        if (camera.Width > 0)
        {
            fs.Write("image_width", camera.Width);
            fs.Write("image_height", camera.Height);
        }
        using var k = Mat.FromArray(camera.Matrix());
        using var d = new Mat(1, 5, MatType.CV_64FC1);
        d.SetArray(camera.Distortion());
        fs.Write(MatrixKey, k);
        fs.Write(DistortionKey, d);
    }

    /// <summary>The numbers of a matrix node: its <c>data</c> child (opencv-matrix or ROS mapping) or a plain sequence.</summary>
    private static double[] Numbers(FileStorage fs, string file, string key)
    {
        var node = fs[key];
        if (node is null || node.Empty) throw new InputDataException($"{file}: {key}: missing");
        var data = node.IsMap ? node["data"] : node;
        if (data is null || data.Empty) throw new InputDataException($"{file}: {key}:data: missing");
        if (!data.IsSeq) throw new InputDataException($"{file}: {key}:data: not a list of numbers");
        var values = new List<double>();
        foreach (var item in data)
        {
            if (!item.IsReal && !item.IsInt)
                throw new InputDataException($"{file}: {key}:data: entry {values.Count + 1} is not a number");
            values.Add(item.ToDouble());
        }
        if (node.IsMap && node["rows"] is { Empty: false } rows && node["cols"] is { Empty: false } cols && rows.ToInt32() * cols.ToInt32() != values.Count)
            throw new InputDataException($"{file}: {key}: rows x cols = {rows.ToInt32() * cols.ToInt32()} but data has {values.Count} numbers");
        if (values.Any(v => !double.IsFinite(v))) throw new InputDataException($"{file}: {key}:data: not finite");
        return values.ToArray();
    }

    private static int Integer(FileStorage fs, string file, string key)
    {
        var node = fs[key];
        if (node is null || node.Empty) return 0;
        if (!node.IsInt || node.ToInt32() <= 0) throw new InputDataException($"{file}: {key}: must be a positive integer");
        return node.ToInt32();
    }

    /// <summary>" (line N)" from OpenCV's parser message, shifted back by the directive lines we added.</summary>
    private static string ParseLocation(string message, int addedLines)
    {
        var m = LineNumber().Match(message);
        if (!m.Success || !int.TryParse(m.Groups[1].Value, NumberStyles.None, CultureInfo.InvariantCulture, out int line)) return "";
        return $" (parse error near line {Math.Max(1, line - addedLines)})";
    }

    [GeneratedRegex(@"line (\d+)")]
    private static partial Regex LineNumber();
}
