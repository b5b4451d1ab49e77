using NanoDet.Inference.Errors;
using NanoDet.Inference.Geometry;

namespace NanoDet.Abstractions.Data;

/// <summary>
/// Configuration keys of a dataset section (<c>data:train</c>, <c>data:val</c>) that the host writes itself: the
/// data verbs build a section for files named on the command line, <c>data convert</c> one for a writer, and
/// <c>synth</c> one for the generating dataset plugin. The dataset plugins bind their options by these names, so
/// a key is spelled once.
/// </summary>
public static class DatasetKeys
{
    /// <summary>The plugin of the section.</summary>
    public const string Name = "name";

    /// <summary>Class names, label = index.</summary>
    public const string ClassNames = "class_names";

    /// <summary>Image folder; file names in labels are relative to it.</summary>
    public const string ImagePath = "img_path";

    /// <summary>Annotations: a folder (XML, txt) or a file (COCO JSON).</summary>
    public const string AnnotationPath = "ann_path";

    /// <summary>Corner order in the files (readers and writers).</summary>
    public const string PointOrder = "point_order";

    /// <summary>txt line layout (reader and writer).</summary>
    public const string Layout = "layout";

    /// <summary>Stop at the first bad image or object instead of skipping it.</summary>
    public const string Strict = "strict";

    /// <summary>Network input [w, h] (NanoDet keeps it in the dataset section; the pipeline reads it).</summary>
    public const string InputSize = "input_size";

    /// <summary>Resize keeping the aspect ratio (read by the pipeline).</summary>
    public const string KeepRatio = "keep_ratio";

    /// <summary>The augmentation pipeline's sub-section (its own <c>name</c> picks the pipeline plugin).</summary>
    public const string Pipeline = "pipeline";

    /// <summary>Generating datasets: number of images.</summary>
    public const string Count = "count";

    /// <summary>Generating datasets: base seed.</summary>
    public const string Seed = "seed";

    /// <summary>Generating datasets: stream name mixed into the seed (train, val).</summary>
    public const string Split = "split";

    /// <summary>Generating datasets: cache root of generated folders.</summary>
    public const string CacheDir = "cache_dir";

    /// <summary>Generating datasets: write into this (new) folder instead of the cache.</summary>
    public const string OutputDir = "output_dir";

    /// <summary>
    /// Generating datasets with <see cref="OutputDir"/>: keep the COCO file the generator writes and reads back
    /// (default true; false removes it once the dataset is loaded).
    /// </summary>
    public const string KeepCoco = "keep_coco";
}
