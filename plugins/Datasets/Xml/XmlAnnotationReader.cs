using System.Xml;
using System.Xml.Linq;
using NanoDet.Abstractions.Data;
using NanoDet.Datasets.Common;
using NanoDet.Inference.Errors;
using NanoDet.Inference.Geometry;

namespace NanoDet.Datasets.Xml;

/// <summary>
/// Reads VOC XML with four-point corners (docs/reference.md#xml-annotations): <c>filename</c>, <c>size</c>, and per <c>object</c>:
/// <c>name</c>, <c>bndbox</c> (optional when <c>points</c> exist), <c>points/x1..y4</c>. Numbers are parsed as
/// floats (docs/reference.md#xml-annotations). Files are taken in sorted order and numbered 1..N (docs/reference.md#xml-annotations).
/// </summary>
public sealed class XmlAnnotationReader(DatasetBuilder builder, ImageFolder images, PointOrder order, bool difficultAsCrowd)
{
    private static readonly string[] BoxKeys = ["xmin", "ymin", "xmax", "ymax"];
    private static readonly string[] PointKeys = ["x1", "y1", "x2", "y2", "x3", "y3", "x4", "y4"];

    /// <summary>Relative paths of the .xml files under <paramref name="annFolder"/>, sorted ordinally.</summary>
    public static IReadOnlyList<string> ListFiles(string annFolder) =>
        Directory.EnumerateFiles(annFolder, "*", SearchOption.AllDirectories)
            .Where(f => string.Equals(Path.GetExtension(f), ".xml", StringComparison.OrdinalIgnoreCase))
            .Select(f => Path.GetRelativePath(annFolder, f).Replace('\\', '/'))
            .Order(StringComparer.Ordinal)
            .ToArray();

    /// <summary>Parses one file; null when the whole image is skipped.</summary>
    /// <param name="file">Absolute path of the .xml file.</param>
    /// <param name="shownPath">The path as shown in reasons (relative to the working directory when possible).</param>
    /// <param name="id">Image id (1-based position in sorted order).</param>
    public ImageRecord? Read(string file, string shownPath, int id)
    {
        XDocument doc;
        try
        {
            doc = XDocument.Load(file, LoadOptions.SetLineInfo);
        }
        catch (XmlException e)
        {
            builder.Skips.Skip($"{shownPath}:{e.LineNumber}", SkipReasons.MalformedFile, $"invalid XML: {FirstSentence(e.Message)}", true);
            return null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            builder.Skips.Skip(shownPath, SkipReasons.MalformedFile, $"cannot read: {e.Message}", true);
            return null;
        }
        var root = doc.Root!;
        if (root.Name.LocalName != "annotation")
        {
            builder.Skips.Skip(At(shownPath, root), SkipReasons.MalformedFile, $"root element is <{root.Name.LocalName}>, expected <annotation>", true);
            return null;
        }

        var fileName = root.Element("filename")?.Value.Trim() ?? "";
        (int W, int H)? declared = null;
        if (root.Element("size") is { } size
            && NumberText.TryParse(size.Element("width")?.Value, out var dw) && NumberText.TryParse(size.Element("height")?.Value, out var dh)
            && dw > 0 && dh > 0 && dw == Math.Floor(dw) && dh == Math.Floor(dh) && dw < int.MaxValue && dh < int.MaxValue)
            declared = ((int)dw, (int)dh);
        if (!builder.TryImage(images, fileName, declared, At(shownPath, root.Element("filename") ?? root), out var path, out int width, out int height))
            return null;

        var objects = new List<Annotation>();
        foreach (var obj in root.Elements("object"))
        {
            var at = At(shownPath, obj);
            var name = obj.Element("name")?.Value.Trim() ?? "";
            int label = builder.LabelOf(name);
            if (label < 0)
            {
                builder.Skips.Skip(at, SkipReasons.UnknownClass, $"'{name}' is not in class_names", false);
                continue;
            }
            if (!TryNumbers(obj.Element("bndbox"), BoxKeys, at, "bndbox", out var box)) continue;
            if (!TryNumbers(obj.Element("points"), PointKeys, at, "points", out var pts)) continue;
            bool crowd = Flag(obj.Element("iscrowd")) || difficultAsCrowd && Flag(obj.Element("difficult"));
            Quad? quad = pts is null ? null : order.ToInternal(pts.Select(v => (float)v).ToArray());
            builder.AddObject(new RawObject(label, box, quad, crowd), width, height, at, objects);
        }
        return new ImageRecord(id, images.Relative(path), path, width, height, objects);
    }

    /// <summary>
    /// Reads the named children of <paramref name="parent"/>. True with null when the element is absent; false
    /// (skipped) when some are missing or not numbers.
    /// </summary>
    private bool TryNumbers(XElement? parent, string[] keys, string at, string what, out double[]? values)
    {
        values = null;
        if (parent is null) return true;
        var v = new double[keys.Length];
        var missing = new List<string>();
        for (int i = 0; i < keys.Length; i++)
        {
            var e = parent.Element(keys[i]);
            if (e is null || string.IsNullOrWhiteSpace(e.Value))
            {
                missing.Add(keys[i]);
                continue;
            }
            if (!NumberText.TryParse(e.Value, out v[i]))
            {
                builder.Skips.Skip(At(at, e), SkipReasons.InvalidNumber, $"{what}/{keys[i]} = '{e.Value.Trim()}' is not a number", false);
                return false;
            }
        }
        if (missing.Count > 0)
        {
            var reason = what == "points" ? SkipReasons.PartialPoints : SkipReasons.PartialBox;
            builder.Skips.Skip(at, reason, $"<{what}> lacks {string.Join(", ", missing)}", false);
            return false;
        }
        values = v;
        return true;
    }

    private static bool Flag(XElement? e) => e is not null && NumberText.TryParse(e.Value, out var v) && v != 0;

    /// <summary><c>file:line</c> of <paramref name="node"/>; a line already in <paramref name="location"/> is replaced.</summary>
    private static string At(string location, XObject node)
    {
        int colon = location.LastIndexOf(':');
        var file = colon > 0 && int.TryParse(location.AsSpan(colon + 1), out _) ? location[..colon] : location;
        return node is IXmlLineInfo li && li.HasLineInfo() ? $"{file}:{li.LineNumber}" : file;
    }

    private static string FirstSentence(string message)
    {
        int i = message.IndexOf(". ", StringComparison.Ordinal);
        return (i > 0 ? message[..(i + 1)] : message).ReplaceLineEndings(" ");
    }
}
