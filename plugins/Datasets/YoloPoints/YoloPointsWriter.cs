using System.Text;
using NanoDet.Abstractions.Data;
using NanoDet.Compute.Runtime;
using NanoDet.Datasets.Common;
using NanoDet.Inference.Errors;
using NanoDet.Inference.Geometry;

namespace NanoDet.Datasets.YoloPoints;

/// <summary>
/// Writes one .txt per image (<c>output/&lt;image name&gt;.txt</c>) plus <c>classes.txt</c>. Coordinates are
/// normalised doubles in shortest round-trip form, so SJTU files read back to the same float corners. Crowd regions
/// cannot be expressed in these layouts and are left out (they are not counted in the returned number).
/// </summary>
public sealed class YoloPointsWriter(PointOrder order, TxtLayout layout) : IDatasetWriter
{
    public bool WritesSingleFile => false;

    public int Write(ClassTable classes, IReadOnlyList<ImageRecord> images, string output)
    {
        Directory.CreateDirectory(output);
        AtomicFile.WriteAllText(Path.Combine(output, YoloPointsDataset.ClassesFile), string.Join('\n', classes.Names) + "\n", durable: false);
        int objects = 0;
        foreach (var r in images)
        {
            var sb = new StringBuilder();
            foreach (var a in r.Annotations)
            {
                if (a.IsCrowd || a.Points is null) continue;
                sb.Append(Line(a, r.Width, r.Height)).Append('\n');
                objects++;
            }
            AtomicFile.WriteAllText(Path.Combine(output, Path.ChangeExtension(r.FileName, ".txt")), sb.ToString(), durable: false);
        }
        return objects;
    }

    /// <summary>One label line for <paramref name="a"/> in an image of the given size.</summary>
    public string Line(Annotation a, int width, int height)
    {
        var parts = new List<string> { a.Label.ToString(System.Globalization.CultureInfo.InvariantCulture) };
        if (layout is TxtLayout.Pose13 or TxtLayout.Pose17)
        {
            var b = a.Box;
            parts.Add(N(((double)b.X1 + b.X2) / 2 / width));
            parts.Add(N(((double)b.Y1 + b.Y2) / 2 / height));
            parts.Add(N(((double)b.X2 - b.X1) / width));
            parts.Add(N(((double)b.Y2 - b.Y1) / height));
        }
        var xy = order.ToFile(a.Points!.Value);
        for (int k = 0; k < 4; k++)
        {
            parts.Add(N((double)xy[2 * k] / width));
            parts.Add(N((double)xy[2 * k + 1] / height));
            if (layout == TxtLayout.Pose17) parts.Add("2");
        }
        return string.Join(' ', parts);
    }

    private static string N(double v) => NumberText.Format(v);
}
