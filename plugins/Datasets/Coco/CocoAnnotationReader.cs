using System.Text.Json;
using NanoDet.Abstractions.Coco;
using NanoDet.Abstractions.Data;
using NanoDet.Abstractions.Plugins;
using NanoDet.Datasets.Common;
using NanoDet.Inference.Errors;
using NanoDet.Inference.Geometry;
using NanoDet.Inference.Pose;

namespace NanoDet.Datasets.Coco;

/// <summary>
/// Reads COCO detection JSON with four corners per annotation (docs/reference.md#coco-annotations) through the shared
/// <see cref="CocoGroundTruthParser"/> (the evaluator reads ground truth with it too): <c>points</c> (8 numbers)
/// first, else <c>keypoints</c> with 8 values or 12 as (x, y, v) triplets; <c>iscrowd</c> or <c>ignore</c> marks a
/// crowd region; <c>area</c> is kept for the evaluator; an optional <c>pose</c> (<see cref="PoseJson"/>) is the
/// object's true 3-D pose. A malformed file is an error naming file and line; bad entries are skipped with
/// <c>file:images[i]</c> / <c>file:annotations[i]</c> locations.
/// </summary>
public static class CocoAnnotationReader
{
    /// <summary>Parses the file leniently; throws <see cref="InputDataException"/> when it is not usable JSON.</summary>
    public static CocoGroundTruthDocument Parse(string file)
    {
        byte[] bytes;
        try
        {
            bytes = File.ReadAllBytes(file);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new InputDataException($"{DisplayPath.Of(file)}: cannot read: {e.Message}", e);
        }
        // System.Text.Json checks UTF-8 only when a string is read, and then throws an InvalidOperationException.
        if (!System.Text.Unicode.Utf8.IsValid(bytes))
            throw new InputDataException($"{DisplayPath.Of(file)}: invalid JSON: the file is not valid UTF-8");
        try
        {
            return CocoGroundTruthParser.Parse(bytes, strict: false, allowCommentsAndTrailingCommas: true);
        }
        catch (JsonException e)
        {
            throw new InputDataException($"{DisplayPath.Of(file)}:{(e.LineNumber ?? 0) + 1}: invalid JSON: {CocoJson.SyntaxMessage(e).TrimEnd('.', ' ')}", e);
        }
        catch (CocoFormatException e)
        {
            throw new InputDataException($"{DisplayPath.Of(file)}:{CocoJson.LineOf(bytes, e.Offset)}: invalid JSON: {e.Message}", e);
        }
    }

    /// <summary>Categories as (id, name), sorted by id.</summary>
    public static IReadOnlyList<(int Id, string Name)> Categories(CocoGroundTruthDocument doc, string shown)
    {
        var list = new List<(int, string)>();
        if (doc.Root != JsonTokenType.StartObject)
            throw new InputDataException($"{shown}: not a COCO file (the top level is {(doc.Root is { } t ? CocoJson.Describe(t) : "empty")}, not an object)");
        foreach (var c in doc.Categories)
        {
            if (c.Id is not { } id || c.Name is not { } name)
                throw new InputDataException($"{shown}:categories[{c.Index}]: a category needs an integer 'id' and a string 'name'");
            list.Add((id, name));
        }
        var dup = list.GroupBy(c => c.Item1).FirstOrDefault(g => g.Count() > 1);
        if (dup is not null) throw new InputDataException($"{shown}:categories: id {dup.Key} appears more than once");
        return list.OrderBy(c => c.Item1).ToArray();
    }

    /// <summary>The class table: the file's categories, or <paramref name="classNames"/> with ids matched by name.</summary>
    public static ClassTable ClassTable(IReadOnlyList<(int Id, string Name)> categories, IReadOnlyList<string>? classNames, string shown)
    {
        if (classNames is null || classNames.Count == 0)
        {
            if (categories.Count == 0)
                throw new InputDataException($"{shown}: no 'categories' in the file and no class_names configured");
            return new ClassTable(categories.Select(c => c.Name).ToArray(), categories.Select(c => c.Id).ToArray());
        }
        int next = categories.Count == 0 ? 1 : categories.Max(c => c.Id) + 1;
        var ids = classNames.Select(n =>
        {
            foreach (var c in categories) if (c.Name == n) return c.Id;
            return next++;
        }).ToArray();
        return new ClassTable(classNames, ids);
    }

    /// <summary>Reads images and annotations into records (ids from the file, sorted).</summary>
    public static IReadOnlyList<ImageRecord> Read(CocoGroundTruthDocument doc, string shown, DatasetBuilder builder, ImageFolder images,
        PointOrder order, IReadOnlyList<(int Id, string Name)> categories)
    {
        if (doc.Root != JsonTokenType.StartObject || !doc.HasImages)
            throw new InputDataException($"{shown}: not a COCO file (no 'images' array)");

        // category id → label (by name when class_names differ from the file's categories)
        var labelOf = new Dictionary<int, int>();
        foreach (var c in categories)
        {
            int label = builder.LabelOf(c.Name);
            if (label >= 0 && builder.Classes.CategoryIds[label] == c.Id) labelOf[c.Id] = label;
        }

        var entries = new List<(int Id, string File, int W, int H, string At)>();
        var seen = new HashSet<int>();
        foreach (var e in doc.Images)
        {
            var at = $"{shown}:images[{e.Index}]";
            if (e.Id is not { } id || e.FileName is not { } fileName)
            {
                builder.Skips.Skip(at, SkipReasons.InvalidImageEntry, "an image needs an integer 'id' and a string 'file_name'", true);
                continue;
            }
            if (!seen.Add(id))
            {
                builder.Skips.Skip(at, SkipReasons.DuplicateImage, $"image id {id} appears more than once", true);
                continue;
            }
            entries.Add((id, fileName, e.Width ?? 0, e.Height ?? 0, at));
        }

        var checkedImages = ParallelLoad.Run(entries.Count, i =>
        {
            var en = entries[i];
            return builder.TryImage(images, en.File, (en.W, en.H), en.At, out var path, out int w, out int h)
                ? new Checked(en.Id, images.Relative(path), path, w, h)
                : null;
        }, "checking images");
        var byId = checkedImages.ToDictionary(c => c.Id);
        var objects = checkedImages.ToDictionary(c => c.Id, _ => new List<Annotation>());
        var listedIds = entries.Select(e => e.Id).ToHashSet();

        foreach (var a in doc.Annotations)
        {
            var at = $"{shown}:annotations[{a.Index}]";
            if (a.ImageId is not { } imageId)
            {
                builder.Skips.Skip(at, SkipReasons.UnknownImageId, "the annotation has no integer 'image_id'", false);
                continue;
            }
            if (!byId.TryGetValue(imageId, out var img))
            {
                // objects of an image skipped above are not reported a second time
                if (!listedIds.Contains(imageId))
                    builder.Skips.Skip(at, SkipReasons.UnknownImageId, $"no image with id {imageId}", false);
                continue;
            }
            if (a.CategoryId is not { } cat || !labelOf.TryGetValue(cat, out int label))
            {
                var shownCat = a.CategoryId?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "(none)";
                builder.Skips.Skip(at, SkipReasons.UnknownClass, $"category_id {shownCat} is not a configured class", false);
                continue;
            }
            var raw = ReadObject(a, label, order, at, builder.Skips);
            if (raw is null) continue;
            ObjectPose? pose = null;
            if (a.Pose is { } pe)
            {
                if (!PoseJson.TryRead(pe, out var p, out var poseError))
                {
                    builder.Skips.Skip(at, SkipReasons.InvalidNumber, poseError, false);
                    continue;
                }
                pose = p;
            }
            var into = objects[imageId];
            int before = into.Count;
            builder.AddObject(raw, img.W, img.H, at, into);
            if (pose is not null && into.Count > before) into[^1] = into[^1] with { Pose = pose };
        }
        return checkedImages.Select(c => new ImageRecord(c.Id, c.FileName, c.Path, c.W, c.H, objects[c.Id])).ToArray();
    }

    private sealed record Checked(int Id, string FileName, string Path, int W, int H);

    private static RawObject? ReadObject(CocoAnnotationEntry a, int label, PointOrder order, string at, SkipLog skips)
    {
        double[]? box = null;
        if (a.Bbox is { } bb)
        {
            var v = Numbers(bb, "bbox", at, skips, 4);
            if (v is null) return null;
            // x2 = x1 + w evaluated on the float x1, so written float boxes read back exactly
            float x1 = (float)v[0], y1 = (float)v[1];
            box = [x1, y1, x1 + v[2], y1 + v[3]];
        }
        if (a.AreaInvalid)
        {
            skips.Skip(at, SkipReasons.InvalidNumber, "area is not a number", false);
            return null;
        }
        Quad? quad = null;
        if (a.Points is { } pts)
        {
            var v = Numbers(pts, "points", at, skips, 8);
            if (v is null) return null;
            quad = order.ToInternal(v.Select(x => (float)x).ToArray());
        }
        else if (a.Keypoints is { } kps)
        {
            var v = Numbers(kps, "keypoints", at, skips, 8, 12);
            if (v is null) return null;
            if (CocoAnnotationEntry.KeypointCorners(v) is not { } corners)
            {
                int k = Enumerable.Range(0, 4).First(k => v[3 * k + 2] == 0);
                skips.Skip(at, SkipReasons.PartialPoints, $"keypoint {k + 1} has visibility 0 (not labelled)", false);
                return null;
            }
            quad = order.ToInternal(corners.Select(x => (float)x).ToArray());
        }
        return new RawObject(label, box, quad, a.IsCrowd || a.Ignore, a.Area);
    }

    /// <summary>The numbers of a list with one of the allowed lengths, or null (skipped with a reason).</summary>
    private static double[]? Numbers(CocoNumbers numbers, string what, string at, SkipLog skips, params int[] lengths)
    {
        if (numbers.Values is not { } v)
        {
            skips.Skip(at, SkipReasons.InvalidNumber, $"'{what}' is not a list of numbers", false);
            return null;
        }
        if (!lengths.Contains(v.Length))
        {
            var reason = what == "bbox" ? SkipReasons.WrongNumberCount : v.Length < lengths.Min() ? SkipReasons.PartialPoints : SkipReasons.WrongNumberCount;
            skips.Skip(at, reason, $"'{what}' has {v.Length} numbers, expected {string.Join(" or ", lengths)}", false);
            return null;
        }
        return v;
    }
}
