namespace NanoDet.Inference.Onnx;

/// <summary>
/// The metadata properties an exported .onnx file carries beside its graph (written by <c>nanodet export</c>, read by
/// <see cref="OnnxModelInfo"/>): everything a deployment needs to pre- and post-process without the configuration.
/// </summary>
public static class OnnxMetadataKeys
{
    /// <summary>Class names, a JSON list.</summary>
    public const string ClassNames = "nanodet:class_names";

    /// <summary>The checkpoint file the model was exported from.</summary>
    public const string Source = "nanodet:source";

    /// <summary>Per-channel mean, B,G,R on the 0–255 scale, comma-separated.</summary>
    public const string MeanBgr = "nanodet:mean_bgr";

    /// <summary>Per-channel standard deviation, B,G,R on the 0–255 scale, comma-separated.</summary>
    public const string StdBgr = "nanodet:std_bgr";

    /// <summary><c>true</c> when images are resized keeping their aspect ratio (then padded), <c>false</c> when stretched.</summary>
    public const string KeepRatio = "nanodet:keep_ratio";

    /// <summary>Number of classes C.</summary>
    public const string NumClasses = "nanodet:num_classes";

    /// <summary>reg_max: each distance is a distribution over reg_max + 1 bins.</summary>
    public const string RegMax = "nanodet:reg_max";

    /// <summary>Points per object (4 for the four-point head, 0 for plain NanoDet).</summary>
    public const string NumPoints = "nanodet:num_points";

    /// <summary>The corner encoding, <c>quadrant</c> or <c>signed</c>: a raw graph's corner bins mean nothing without it.</summary>
    public const string CornerEncoding = "nanodet:corner_encoding";

    /// <summary>The head's strides, comma-separated.</summary>
    public const string Strides = "nanodet:strides";

    /// <summary>The network input the graph was exported for, <c>WxH</c> (the padded size).</summary>
    public const string InputSize = "nanodet:input_size";

    /// <summary><c>true</c> when the graph ends in decoded boxes and corners (export <c>--decode</c>).</summary>
    public const string Decoded = "nanodet:decoded";

    /// <summary>A human-readable description of the output row.</summary>
    public const string OutputLayout = "nanodet:output_layout";
}
