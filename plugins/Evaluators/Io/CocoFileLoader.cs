using System.Text.Json;
using NanoDet.Abstractions.Coco;
using NanoDet.Abstractions.Data;
using NanoDet.Abstractions.Evaluation;
using NanoDet.Abstractions.Model;
using NanoDet.Evaluators.Coco;
using NanoDet.Evaluators.Corners;
using NanoDet.Inference.Detections;
using NanoDet.Inference.Errors;
using NanoDet.Inference.Geometry;

namespace NanoDet.Evaluators.Io;

/// <summary>
/// Reads a COCO ground-truth file and a COCO results file into the evaluator's double-precision dataset and
/// the shared <see cref="EvaluationInput"/> records. Semantics follow pycocotools (<c>COCO()</c>,
/// <c>loadRes</c>, <c>COCOeval._prepare</c>) with clear errors where pycocotools would crash or silently
/// misbehave (duplicate ids, references to images or categories that do not exist).
/// </summary>
internal static class CocoFileLoader
{
    public static (EvaluationInput Input, EvalDataset Data) Load(string annotationsPath, string detectionsPath)
    {
        var gtSource = JsonSource.Load(annotationsPath);
        var gt = ReadGroundTruth(gtSource);
        var dtSource = JsonSource.Load(detectionsPath);
        var results = CocoResultsReader.Read(dtSource);

        if (!gt.HasImages || gt.Images.Count == 0) throw gtSource.Fail("no 'images': the ground truth must list its images");
        if (!gt.HasCategories || gt.Categories.Count == 0) throw gtSource.Fail("no 'categories': the ground truth must list its categories");

        // Categories: label k = k-th category in ascending id order (pycocotools sorts catIds).
        // a strict read leaves no entry without its required ids
        var categories = gt.Categories.ToList();
        var firstCategory = new Dictionary<int, int>();
        for (int i = 0; i < categories.Count; i++)
            if (!firstCategory.TryAdd(categories[i].Id!.Value, i))
                throw gtSource.Fail($"categories[{i}]", categories[i].Offset, $"duplicate category id {categories[i].Id} (first at categories[{firstCategory[categories[i].Id!.Value]}])");
        var sortedCategories = categories.OrderBy(c => c.Id).ToArray();
        var labelOf = new Dictionary<int, int>();
        for (int k = 0; k < sortedCategories.Length; k++) labelOf[sortedCategories[k].Id!.Value] = k;
        var names = sortedCategories.Select(c => string.IsNullOrEmpty(c.Name) ? c.Id!.Value.ToString(System.Globalization.CultureInfo.InvariantCulture) : c.Name!).ToArray();
        var categoryIds = sortedCategories.Select(c => c.Id!.Value).ToArray();

        // Images in ascending id order (pycocotools sorts imgIds).
        var firstImage = new Dictionary<int, int>();
        for (int i = 0; i < gt.Images.Count; i++)
            if (!firstImage.TryAdd(gt.Images[i].Id!.Value, i))
                throw gtSource.Fail($"images[{i}]", gt.Images[i].Offset, $"duplicate image id {gt.Images[i].Id} (first at images[{firstImage[gt.Images[i].Id!.Value]}])");
        var images = gt.Images.OrderBy(i => i.Id).ToArray();
        var indexOf = new Dictionary<int, int>();
        for (int i = 0; i < images.Length; i++) indexOf[images[i].Id!.Value] = i;

        var gtLists = images.Select(_ => new List<GroundTruthObject>()).ToArray();
        var annotationIds = new Dictionary<long, int>();
        for (int i = 0; i < gt.Annotations.Count; i++)
        {
            var a = gt.Annotations[i];
            string where = $"annotations[{i}]";
            if (a.Id is { } id && !annotationIds.TryAdd(id, i))
                throw gtSource.Fail(where, a.Offset, $"duplicate annotation id {id} (first at annotations[{annotationIds[id]}]); pycocotools would silently keep only the last one");
            if (!indexOf.TryGetValue(a.ImageId!.Value, out int image))
                throw gtSource.Fail(where, a.Offset, $"image_id {a.ImageId} is not in 'images'");
            if (!labelOf.TryGetValue(a.CategoryId!.Value, out int label))
                throw gtSource.Fail(where, a.Offset, $"category_id {a.CategoryId} is not in 'categories'");
            var b = a.Bbox!.Values!;
            Quadrilateral? corners = a.Corners is { } c ? Quadrilateral.From(c) : null;
            gtLists[image].Add(new GroundTruthObject(label, b[0], b[1], b[2], b[3], a.Area ?? b[2] * b[3], a.IsCrowd, corners));
        }

        var dtLists = images.Select(_ => new List<DetectionObject>()).ToArray();
        int unknownCategory = 0;
        var unknownCategoryIds = new SortedSet<int>();
        for (int i = 0; i < results.Count; i++)
        {
            var r = results[i];
            if (!indexOf.TryGetValue(r.ImageId, out int image))
                throw dtSource.Fail($"entry {i}", r.Offset,
                    $"image_id {r.ImageId} is not in the ground truth {annotationsPath} (results must refer to its images)");
            if (!labelOf.TryGetValue(r.CategoryId, out int label))
            {
                unknownCategory++;
                unknownCategoryIds.Add(r.CategoryId);
                continue;
            }
            dtLists[image].Add(new DetectionObject(label, r.X, r.Y, r.W, r.H, r.Score, r.Points));
        }

        var notes = new List<string>();
        if (unknownCategory > 0)
            notes.Add($"{unknownCategory} detection(s) of category id(s) {string.Join(", ", unknownCategoryIds.Take(10))}{(unknownCategoryIds.Count > 10 ? ", ..." : "")} not in the ground truth were ignored (as pycocotools ignores them)");
        int flaggedIgnore = gt.Annotations.Count(a => a.Ignore && !a.IsCrowd);
        if (flaggedIgnore > 0)
            notes.Add($"{flaggedIgnore} annotation(s) have \"ignore\": 1 but iscrowd 0; like pycocotools, evaluation uses iscrowd only, so they count as normal ground truth");

        var data = new EvalDataset(names, categoryIds, images.Select(i => i.Id!.Value).ToArray(),
            gtLists.Select(l => l.ToArray()).ToArray(), dtLists.Select(l => l.ToArray()).ToArray(), notes);
        return (ToInput(data, images, annotationsPath), data);
    }

    /// <summary>
    /// The ground truth, read strictly: the first value that breaks the format stops the evaluation with its entry and
    /// line (pycocotools would crash on it, or silently misread it).
    /// </summary>
    private static CocoGroundTruthDocument ReadGroundTruth(JsonSource source)
    {
        CocoGroundTruthDocument gt;
        try
        {
            gt = CocoGroundTruthParser.Parse(source.Bytes, strict: true);
        }
        catch (CocoFormatException p)
        {
            throw source.Fail(p);
        }
        catch (JsonException e)
        {
            throw source.Syntax(e);
        }
        if (gt.Root is null) throw source.Fail("empty file; a COCO ground-truth file is a JSON object with images, annotations and categories");
        return gt;
    }

    /// <summary>The shared records (float precision) for the same content.</summary>
    private static EvaluationInput ToInput(EvalDataset data, CocoImageEntry[] images, string annotationsPath)
    {
        string folder = Path.GetDirectoryName(Path.GetFullPath(annotationsPath)) ?? "";
        var records = new ImageRecord[images.Length];
        var detections = new List<ImageDetection>();
        for (int i = 0; i < images.Length; i++)
        {
            var im = images[i];
            var anns = data.GroundTruth[i].Select(g => new Annotation(
                g.Label, Box.FromXywh((float)g.X, (float)g.Y, (float)g.W, (float)g.H), g.Points?.ToQuad(), g.IsCrowd, (float)g.Area)).ToArray();
            string file = im.FileName ?? "";
            records[i] = new ImageRecord(im.Id!.Value, file, file.Length == 0 ? "" : Path.Combine(folder, file), im.Width ?? 0, im.Height ?? 0, anns);
            foreach (var d in data.Detections[i])
                detections.Add(new ImageDetection(im.Id!.Value, new Detection(
                    d.Label, Box.FromXywh((float)d.X, (float)d.Y, (float)d.W, (float)d.H), (float)d.Score, d.Points?.ToQuad())));
        }
        return new EvaluationInput(new ClassTable(data.ClassNames, data.CategoryIds), records, detections);
    }
}
