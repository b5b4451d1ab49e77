using System.Globalization;
using System.Text.Json;
using NanoDet.Inference.Detections;
using NanoDet.Inference.Errors;
using NanoDet.Inference.Geometry;

namespace NanoDet.Inference.Onnx;

/// <summary>
/// What an exported model file says about itself (its <see cref="OnnxMetadataKeys"/>): the head layout, the classes,
/// the network input and how images are normalised — all a deployment needs besides the graph.
/// </summary>
/// <param name="Layout">Classes, reg_max, points, strides and corner encoding of the head.</param>
/// <param name="ClassNames">One name per class.</param>
/// <param name="InputWidth">Network input width (the padded size the graph was exported for).</param>
/// <param name="InputHeight">Network input height.</param>
/// <param name="KeepRatio">Resize keeping the aspect ratio (then pad) or stretch.</param>
/// <param name="MeanBgr">Per-channel mean, 0–255 scale.</param>
/// <param name="StdBgr">Per-channel standard deviation, 0–255 scale.</param>
/// <param name="Decoded">The graph outputs decoded boxes and corners (exported with <c>--decode</c>).</param>
public sealed record OnnxModelInfo(HeadLayout Layout, IReadOnlyList<string> ClassNames, int InputWidth, int InputHeight,
    bool KeepRatio, IReadOnlyList<double> MeanBgr, IReadOnlyList<double> StdBgr, bool Decoded)
{
    /// <summary>Reads <paramref name="path"/>; a file without the metadata <c>nanodet export</c> writes is an error naming the key.</summary>
    public static OnnxModelInfo Read(string path)
    {
        var file = OnnxFileInfo.Read(path);
        var meta = file.Metadata;
        string Get(string key) => meta.TryGetValue(key, out var v) && !string.IsNullOrWhiteSpace(v)
            ? v
            : throw new InputDataException($"{path}: metadata {key} is missing; export the model with `nanodet export`");
        int Int(string key) => int.TryParse(Get(key), NumberStyles.Integer, CultureInfo.InvariantCulture, out var v) && v >= 0
            ? v
            : throw new InputDataException($"{path}: metadata {key} = '{Get(key)}' is not a non-negative integer");
        double[] Doubles(string key, int count)
        {
            var parts = Get(key).Split(',');
            var values = new double[parts.Length];
            for (int i = 0; i < parts.Length; i++)
                if (!double.TryParse(parts[i], NumberStyles.Float, CultureInfo.InvariantCulture, out values[i]))
                    throw new InputDataException($"{path}: metadata {key} = '{Get(key)}' is not a list of numbers");
            return values.Length == count ? values
                : throw new InputDataException($"{path}: metadata {key} has {values.Length} values, expected {count}");
        }

        var strideText = Get(OnnxMetadataKeys.Strides);
        var strides = strideText.Split(',').Select(t =>
            int.TryParse(t, NumberStyles.Integer, CultureInfo.InvariantCulture, out var v) && v > 0
                ? v
                : throw new InputDataException($"{path}: metadata {OnnxMetadataKeys.Strides} = '{strideText}' is not a list of positive integers")).ToArray();
        var encoding = Get(OnnxMetadataKeys.CornerEncoding) switch
        {
            "quadrant" => CornerEncoding.Quadrant,
            "signed" => CornerEncoding.Signed,
            var other => throw new InputDataException($"{path}: metadata {OnnxMetadataKeys.CornerEncoding} = '{other}' is not quadrant or signed"),
        };
        var layout = new HeadLayout(Int(OnnxMetadataKeys.NumClasses), Int(OnnxMetadataKeys.RegMax), Int(OnnxMetadataKeys.NumPoints), strides)
        {
            CornerEncoding = encoding,
        };
        var size = Get(OnnxMetadataKeys.InputSize).Split('x');
        if (size.Length != 2 || !int.TryParse(size[0], CultureInfo.InvariantCulture, out var w) || !int.TryParse(size[1], CultureInfo.InvariantCulture, out var h))
            throw new InputDataException($"{path}: metadata {OnnxMetadataKeys.InputSize} = '{Get(OnnxMetadataKeys.InputSize)}' is not WxH");
        string[] names;
        try
        {
            names = JsonSerializer.Deserialize<string[]>(Get(OnnxMetadataKeys.ClassNames)) ?? [];
        }
        catch (JsonException e)
        {
            throw new InputDataException($"{path}: metadata {OnnxMetadataKeys.ClassNames} is not a JSON list ({e.Message})", e);
        }
        if (names.Length != layout.NumClasses)
            throw new InputDataException($"{path}: metadata {OnnxMetadataKeys.ClassNames} has {names.Length} names for {layout.NumClasses} classes");
        bool keepRatio = meta.TryGetValue(OnnxMetadataKeys.KeepRatio, out var k) && k == "true";
        return new OnnxModelInfo(layout, names, w, h, keepRatio, Doubles(OnnxMetadataKeys.MeanBgr, 3), Doubles(OnnxMetadataKeys.StdBgr, 3),
            Get(OnnxMetadataKeys.Decoded) == "true");
    }

    /// <summary>Channels of one output row of the decoded variant: C + 4 + 2·points.</summary>
    public int DecodedChannels => Layout.NumClasses + 4 + 2 * Layout.NumPoints;
}
