using System.Diagnostics;
using Microsoft.Extensions.Logging;
using NanoDet.Abstractions.Data;
using NanoDet.Abstractions.Plugins;
using NanoDet.Datasets.Coco;
using NanoDet.Datasets.Common;
using NanoDet.Inference.Errors;
using NanoDet.Inference.Geometry;
using OpenCvSharp;

namespace NanoDet.Datasets.Synthetic;

/// <summary>
/// Writes a synthetic armor dataset folder: <c>images/NNNNNN.jpg</c>, <c>annotations.json</c> (COCO with points)
/// and <c>generator.txt</c> (the settings line); in pinhole mode also <c>camera.yml</c>. Image i is rendered from its own seed (seed, split, i), so the
/// bytes do not depend on the thread count. The folder appears atomically: everything is written to a temp folder
/// beside it and renamed at the end, so an interrupted run leaves no half dataset.
/// </summary>
public static class SyntheticGenerator
{
    public const string ImagesFolder = GeneratedDatasetLayout.ImagesFolder;
    public const string AnnotationsFile = GeneratedDatasetLayout.AnnotationsFile;
    public const string SettingsFile = "generator.txt";

    /// <summary>Pinhole mode: the camera the images were rendered with (OpenCV FileStorage YAML).</summary>
    public const string CameraFile = "camera.yml";

    /// <summary>Image <paramref name="index"/>: the frame and its annotations.</summary>
    public static (Mat Image, List<Annotation> Objects) RenderOne(ArmorGeneratorSettings s, int index)
    {
        var rng = new Random(SeedMixer.Seed(s.Seed, SeedMixer.Hash(s.Split), index));
        return new ArmorSceneRenderer(s).Render(rng);
    }

    /// <summary>Encoded bytes of one rendered image (JPEG or PNG as configured).</summary>
    public static byte[] Encode(ArmorGeneratorSettings s, Mat image)
    {
        var ext = s.ImageFormat == "png" ? ".png" : ".jpg";
        var prms = s.ImageFormat == "png"
            ? new[] { new ImageEncodingParam(ImwriteFlags.PngCompression, 3) }
            : [new ImageEncodingParam(ImwriteFlags.JpegQuality, s.JpegQuality)];
        Cv2.ImEncode(ext, image, out var bytes, prms);
        return bytes;
    }

    /// <summary>True when <paramref name="folder"/> holds a finished dataset.</summary>
    public static bool IsComplete(string folder) =>
        File.Exists(Path.Combine(folder, AnnotationsFile)) && Directory.Exists(Path.Combine(folder, ImagesFolder));

    /// <summary>
    /// Generates into <paramref name="folder"/> (which must not exist). When another process finishes the same
    /// folder first, its result is kept and ours discarded.
    /// </summary>
    public static void Generate(ArmorGeneratorSettings s, string folder, int workers, ILogger log, CancellationToken cancellation = default)
    {
        folder = Path.GetFullPath(Path.TrimEndingDirectorySeparator(folder));
        var parent = Path.GetDirectoryName(folder)!;
        Directory.CreateDirectory(parent);
        RemoveAbandoned(parent, Path.GetFileName(folder));
        var temp = Path.Combine(parent, $".{Path.GetFileName(folder)}.partial-{Environment.ProcessId}-{Guid.NewGuid():N}");
        var images = Path.Combine(temp, ImagesFolder);
        Directory.CreateDirectory(images);
        try
        {
            var records = new ImageRecord[s.Count];
            long done = 0;
            var sw = Stopwatch.StartNew();
            var lastLog = TimeSpan.Zero;
            var task = $"generating synthetic armor ({s.Split})";
            log.LogInformation("Generating {Count} synthetic armor images ({Width}x{Height}, {Classes} classes) into {Folder}",
                s.Count, s.Width, s.Height, s.Classes.Count, folder);
            var options = new ParallelOptions
            {
                MaxDegreeOfParallelism = workers > 0 ? workers : Environment.ProcessorCount,
                CancellationToken = cancellation,
            };
            Parallel.For(0, s.Count, options, i =>
            {
                var (image, objects) = RenderOne(s, i);
                using (image)
                {
                    var name = s.FileName(i);
                    var path = Path.Combine(images, name);
                    File.WriteAllBytes(path, Encode(s, image));
                    records[i] = new ImageRecord(i + 1, name, Path.Combine(folder, ImagesFolder, name), s.Width, s.Height, objects);
                }
                long d = Interlocked.Increment(ref done);
                PluginProgress.Report(task, d, s.Count);
                if (!PluginProgress.IsListened)
                    lock (records)
                        if (sw.Elapsed - lastLog > TimeSpan.FromSeconds(5) && d < s.Count)
                        {
                            lastLog = sw.Elapsed;
                            log.LogInformation("{Task}: {Done}/{Total} images", task, d, s.Count);
                        }
            });
            new CocoAnnotationWriter(PointOrder.Canonical).Write(ClassTable.FromNames(s.ClassNames), records, Path.Combine(temp, AnnotationsFile));
            File.WriteAllText(Path.Combine(temp, SettingsFile), s.Describe() + "\n");
            if (s.Camera is { } camera) NanoDet.Inference.Pose.CameraCalibrationFile.Write(Path.Combine(temp, CameraFile), camera);
            try
            {
                Directory.Move(temp, folder);
            }
            catch (IOException) when (IsComplete(folder))
            {
                log.LogInformation("{Folder} was completed by another process; using it", folder);
            }
            log.LogInformation("Generated {Count} images, {Objects} plates in {Seconds:F1} s", s.Count, records.Sum(r => r.Annotations.Count), sw.Elapsed.TotalSeconds);
        }
        finally
        {
            if (Directory.Exists(temp)) Directory.Delete(temp, recursive: true);
        }
    }

    /// <summary>Deletes temp folders of earlier runs that were killed (their process no longer exists).</summary>
    private static void RemoveAbandoned(string parent, string name)
    {
        foreach (var dir in Directory.EnumerateDirectories(parent, $".{name}.partial-*"))
        {
            var parts = Path.GetFileName(dir).Split('-');
            if (parts.Length < 3 || !int.TryParse(parts[^2], out int pid)) continue;
            bool alive;
            try
            {
                using var p = System.Diagnostics.Process.GetProcessById(pid);
                alive = !p.HasExited;
            }
            catch (ArgumentException)
            {
                alive = false;
            }
            if (!alive)
                try { Directory.Delete(dir, recursive: true); }
                catch (IOException) { /* another process is cleaning up too */ }
        }
    }
}
