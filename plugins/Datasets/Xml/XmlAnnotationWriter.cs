using System.Xml.Linq;
using NanoDet.Abstractions.Data;
using NanoDet.Compute.Runtime;
using NanoDet.Datasets.Common;
using NanoDet.Inference.Errors;
using NanoDet.Inference.Geometry;

namespace NanoDet.Datasets.Xml;

/// <summary>
/// Writes one VOC XML per image (<c>output/&lt;image name&gt;.xml</c>, sub-folders mirrored) with
/// <c>bndbox</c> and <c>points</c>. Numbers use the shortest text that reads back exactly (integers stay
/// integers). Crowd regions carry <c>&lt;iscrowd&gt;1&lt;/iscrowd&gt;</c> and <c>&lt;difficult&gt;1&lt;/difficult&gt;</c>.
/// </summary>
public sealed class XmlAnnotationWriter(PointOrder order) : IDatasetWriter
{
    public bool WritesSingleFile => false;

    public int Write(ClassTable classes, IReadOnlyList<ImageRecord> images, string output)
    {
        Directory.CreateDirectory(output);
        int objects = 0;
        foreach (var r in images)
        {
            var file = Path.Combine(output, Path.ChangeExtension(r.FileName, ".xml"));
            AtomicFile.WriteAllText(file, ToXml(classes, r).ToString() + "\n", durable: false);
            objects += r.Annotations.Count;
        }
        return objects;
    }

    /// <summary>The XML document of one image.</summary>
    public XElement ToXml(ClassTable classes, ImageRecord r)
    {
        var root = new XElement("annotation",
            new XElement("folder", Path.GetFileName(Path.GetDirectoryName(r.Path)) ?? ""),
            new XElement("filename", r.FileName),
            new XElement("size",
                new XElement("width", r.Width),
                new XElement("height", r.Height),
                new XElement("depth", 3)));
        foreach (var a in r.Annotations)
        {
            var obj = new XElement("object",
                new XElement("name", classes.Names[a.Label]),
                new XElement("difficult", a.IsCrowd ? 1 : 0));
            if (a.IsCrowd) obj.Add(new XElement("iscrowd", 1));
            obj.Add(new XElement("bndbox",
                new XElement("xmin", NumberText.Format(a.Box.X1)),
                new XElement("ymin", NumberText.Format(a.Box.Y1)),
                new XElement("xmax", NumberText.Format(a.Box.X2)),
                new XElement("ymax", NumberText.Format(a.Box.Y2))));
            if (a.Points is { } q)
            {
                var xy = order.ToFile(q);
                var pts = new XElement("points");
                for (int i = 0; i < 4; i++)
                {
                    pts.Add(new XElement($"x{i + 1}", NumberText.Format(xy[2 * i])));
                    pts.Add(new XElement($"y{i + 1}", NumberText.Format(xy[2 * i + 1])));
                }
                obj.Add(pts);
            }
            root.Add(obj);
        }
        return root;
    }
}
