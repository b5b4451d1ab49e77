using NanoDet.Inference.Geometry;
using NanoDet.Inference.Errors;
using System.Text.Json;
using NanoDet.Abstractions.Data;
using NanoDet.Inference.Pose;
using NanoDet.Abstractions.Plugins;
using NanoDet.Datasets.Common;

namespace NanoDet.Datasets.Coco;

/// <summary>
/// Reads COCO detection JSON with four corners per annotation (docs/reference.md#coco-annotations): <c>points</c> (8 numbers) first, else
/// <c>keypoints</c> with 8 values or 12 as (x, y, v) triplets (docs/reference.md#coco-annotations); <c>iscrowd</c> or <c>ignore</c> marks
/// a crowd region; <c>area</c> is kept for the evaluator; an optional <c>pose</c> (<see cref="PoseJson"/>) is the
/// object's true 3-D pose. A malformed file is an error naming file and line; bad
/// entries are skipped with <c>file:images[i]</c> / <c>file:annotations[i]</c> locations.
/// </summary>
public static class CocoAnnotationReader
{
    /// <summary>Parses the file; throws <see cref="InputDataException"/> when it is not usable JSON.</summary>
    public static JsonDocument Parse(string file)
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
            return JsonDocument.Parse(bytes, new JsonDocumentOptions { AllowTrailingCommas = true, CommentHandling = JsonCommentHandling.Skip });
        }
        catch (JsonException e)
        {
            var msg = e.Message;
            int cut = msg.IndexOf(" LineNumber:", StringComparison.Ordinal);
            if (cut > 0) msg = msg[..cut];
            throw new InputDataException($"{DisplayPath.Of(file)}:{(e.LineNumber ?? 0) + 1}: invalid JSON: {msg.TrimEnd('.', ' ')}", e);
        }
    }

    /// <summary>Categories as (id, name), sorted by id.</summary>
    public static IReadOnlyList<(int Id, string Name)> Categories(JsonElement root, string shown)
    {
        var list = new List<(int, string)>();
        if (root.ValueKind != JsonValueKind.Object)
            throw new InputDataException($"{shown}: not a COCO file (the top level is {root.ValueKind.ToString().ToLowerInvariant()}, not an object)");
        if (!root.TryGetProperty("categories", out var cats) || cats.ValueKind != JsonValueKind.Array) return list;
        int i = 0;
        foreach (var c in cats.EnumerateArray())
        {
            if (c.ValueKind != JsonValueKind.Object || !TryInt(c, "id", out int id) || !c.TryGetProperty("name", out var n) || n.ValueKind != JsonValueKind.String)
                throw new InputDataException($"{shown}:categories[{i}]: a category needs an integer 'id' and a string 'name'");
            list.Add((id, n.GetString()!));
            i++;
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
    public static IReadOnlyList<ImageRecord> Read(JsonElement root, string shown, DatasetBuilder builder, ImageFolder images,
        PointOrder order, IReadOnlyList<(int Id, string Name)> categories)
    {
        if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("images", out var imgs) || imgs.ValueKind != JsonValueKind.Array)
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
        int index = 0;
        foreach (var e in imgs.EnumerateArray())
        {
            var at = $"{shown}:images[{index++}]";
            if (e.ValueKind != JsonValueKind.Object || !TryInt(e, "id", out int id) || !e.TryGetProperty("file_name", out var fn) || fn.ValueKind != JsonValueKind.String)
            {
                builder.Skips.Skip(at, SkipReasons.InvalidImageEntry, "an image needs an integer 'id' and a string 'file_name'", true);
                continue;
            }
            if (!seen.Add(id))
            {
                builder.Skips.Skip(at, SkipReasons.DuplicateImage, $"image id {id} appears more than once", true);
                continue;
            }
            TryInt(e, "width", out int w);
            TryInt(e, "height", out int h);
            entries.Add((id, fn.GetString()!, w, h, at));
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

        if (root.TryGetProperty("annotations", out var anns) && anns.ValueKind == JsonValueKind.Array)
        {
            index = 0;
            foreach (var a in anns.EnumerateArray())
            {
                var at = $"{shown}:annotations[{index++}]";
                if (a.ValueKind != JsonValueKind.Object || !TryInt(a, "image_id", out int imageId))
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
                if (!TryInt(a, "category_id", out int cat) || !labelOf.TryGetValue(cat, out int label))
                {
                    var shownCat = a.TryGetProperty("category_id", out var cv) ? cv.GetRawText() : "(none)";
                    builder.Skips.Skip(at, SkipReasons.UnknownClass, $"category_id {shownCat} is not a configured class", false);
                    continue;
                }
                var raw = ReadObject(a, label, order, at, builder.Skips);
                if (raw is null) continue;
                ObjectPose? pose = null;
                if (a.TryGetProperty(PoseJson.Key, out var pe) && pe.ValueKind != JsonValueKind.Null)
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
        }
        return checkedImages.Select(c => new ImageRecord(c.Id, c.FileName, c.Path, c.W, c.H, objects[c.Id])).ToArray();
    }

    private sealed record Checked(int Id, string FileName, string Path, int W, int H);

    private static RawObject? ReadObject(JsonElement a, int label, PointOrder order, string at, SkipLog skips)
    {
        bool crowd = Flag(a, "iscrowd") || Flag(a, "ignore");
        double[]? box = null;
        if (a.TryGetProperty("bbox", out var bb) && bb.ValueKind != JsonValueKind.Null)
        {
            var v = Numbers(bb, "bbox", at, skips, 4);
            if (v is null) return null;
            // x2 = x1 + w evaluated on the float x1, so written float boxes read back exactly
            float x1 = (float)v[0], y1 = (float)v[1];
            box = [x1, y1, x1 + v[2], y1 + v[3]];
        }
        double? area = null;
        if (a.TryGetProperty("area", out var ar) && ar.ValueKind != JsonValueKind.Null)
        {
            if (!ar.TryGetDouble(out var av))
            {
                skips.Skip(at, SkipReasons.InvalidNumber, $"area {ar.GetRawText()} is not a number", false);
                return null;
            }
            area = av;
        }
        Quad? quad = null;
        if (a.TryGetProperty("points", out var pts) && pts.ValueKind != JsonValueKind.Null)
        {
            var v = Numbers(pts, "points", at, skips, 8);
            if (v is null) return null;
            quad = order.ToInternal(v.Select(x => (float)x).ToArray());
        }
        else if (a.TryGetProperty("keypoints", out var kps) && kps.ValueKind != JsonValueKind.Null)
        {
            var v = Numbers(kps, "keypoints", at, skips, 8, 12);
            if (v is null) return null;
            if (v.Length == 12)
            {
                for (int k = 0; k < 4; k++)
                    if (v[3 * k + 2] == 0)
                    {
                        skips.Skip(at, SkipReasons.PartialPoints, $"keypoint {k + 1} has visibility 0 (not labelled)", false);
                        return null;
                    }
                v = [v[0], v[1], v[3], v[4], v[6], v[7], v[9], v[10]];
            }
            quad = order.ToInternal(v.Select(x => (float)x).ToArray());
        }
        return new RawObject(label, box, quad, crowd, area);
    }

    /// <summary>An array of numbers with one of the allowed lengths, or null (skipped with a reason).</summary>
    private static double[]? Numbers(JsonElement e, string what, string at, SkipLog skips, params int[] lengths)
    {
        if (e.ValueKind != JsonValueKind.Array)
        {
            skips.Skip(at, SkipReasons.InvalidNumber, $"'{what}' is not an array", false);
            return null;
        }
        int n = e.GetArrayLength();
        if (!lengths.Contains(n))
        {
            var reason = what == "bbox" ? SkipReasons.WrongNumberCount : n < lengths.Min() ? SkipReasons.PartialPoints : SkipReasons.WrongNumberCount;
            skips.Skip(at, reason, $"'{what}' has {n} numbers, expected {string.Join(" or ", lengths)}", false);
            return null;
        }
        var v = new double[n];
        int i = 0;
        foreach (var x in e.EnumerateArray())
        {
            if (x.ValueKind != JsonValueKind.Number || !x.TryGetDouble(out v[i]))
            {
                skips.Skip(at, SkipReasons.InvalidNumber, $"'{what}'[{i}] = {x.GetRawText()} is not a number", false);
                return null;
            }
            i++;
        }
        return v;
    }

    private static bool TryInt(JsonElement e, string name, out int value)
    {
        value = 0;
        if (!e.TryGetProperty(name, out var p) || p.ValueKind != JsonValueKind.Number) return false;
        if (p.TryGetInt32(out value)) return true;
        if (p.TryGetDouble(out var d) && d == Math.Floor(d) && d is >= int.MinValue and <= int.MaxValue)
        {
            value = (int)d;
            return true;
        }
        return false;
    }

    private static bool Flag(JsonElement e, string name) =>
        e.TryGetProperty(name, out var p) && (p.ValueKind == JsonValueKind.True || p.ValueKind == JsonValueKind.Number && p.TryGetDouble(out var d) && d != 0);
}
