using Microsoft.Extensions.Logging.Abstractions;
using NanoDet.Abstractions.Data;
using NanoDet.Abstractions.Plugins;
using NanoDet.Datasets.Common;
using NanoDet.Datasets.Loading;
using NanoDet.Datasets.Pipeline;
using NanoDet.Datasets.Xml;
using NanoDet.Datasets.YoloPoints;
using NanoDet.Inference.Errors;
using NanoDet.Inference.Geometry;
using OpenCvSharp;

namespace NanoDet.Datasets.Tests.BadInput;

/// <summary>
/// Issue 17: image files that are empty, cut short or not images at all are skips with reasons — when a reader
/// loads them and when a batch is built — never an internal message that names no file.
/// </summary>
public class BrokenImageTests
{
    private static readonly string[] Names = ["B_1", "R_1"];

    /// <summary>A 120x90 noisy JPEG (noise keeps the entropy-coded data long enough to cut).</summary>
    private static byte[] Jpeg(int width = 120, int height = 90, int seed = 1)
    {
        using var m = new Mat(height, width, MatType.CV_8UC3);
        Cv2.SetTheRNG((ulong)seed);
        Cv2.Randu(m, Scalar.All(0), Scalar.All(255));
        return m.ImEncode(".jpg");
    }

    private static string Xml(string file, int w, int h) =>
        $"<annotation><filename>{file}</filename><size><width>{w}</width><height>{h}</height></size>" +
        "<object><name>B_1</name><points><x1>10</x1><y1>10</y1><x2>10</x2><y2>40</y2><x3>60</x3><y3>40</y3><x4>60</x4><y4>10</y4></points></object></annotation>";

    private static LoadedDataset LoadXml(string root) =>
        XmlDataset.Load("t", Path.Combine(root, "images"), Path.Combine(root, "xml"), ClassTable.FromNames(Names), PointOrder.Canonical,
            new ObjectRules(), false, false, NullLogger.Instance);

    [Fact]
    public void A_zero_byte_image_is_skipped_as_unreadable_instead_of_ending_the_load()
    {
        var root = TestFiles.NewTempDir("zero-byte");
        File.WriteAllBytes(TestFiles.Text(Path.Combine(root, "images", "good.jpg"), ""), Jpeg());
        TestFiles.Text(Path.Combine(root, "images", "empty.jpg"), "");
        TestFiles.Text(Path.Combine(root, "xml", "good.xml"), Xml("good.jpg", 120, 90));
        TestFiles.Text(Path.Combine(root, "xml", "empty.xml"), Xml("empty.jpg", 120, 90));

        var ds = LoadXml(root);

        Assert.Equal(["good.jpg"], ds.Images.Select(r => r.FileName));
        var skip = Assert.Single(ds.Report.Skipped);
        Assert.Equal(SkipReasons.UnreadableImage, skip.Reason);
        Assert.Contains("empty.jpg", skip.Detail);
        Assert.Contains("empty file", skip.Detail);
        Assert.Null(ImageHeader.TryRead(Path.Combine(root, "images", "empty.jpg")));
    }

    [Fact]
    public void Zero_byte_and_non_image_files_are_skipped_by_the_txt_reader_too()
    {
        var root = TestFiles.NewTempDir("zero-byte-txt");
        File.WriteAllBytes(TestFiles.Text(Path.Combine(root, "images", "good.jpg"), ""), Jpeg());
        TestFiles.Text(Path.Combine(root, "images", "empty.png"), "");
        TestFiles.Text(Path.Combine(root, "images", "notes.jpg"), "this is text, not a JPEG\n");
        foreach (var n in new[] { "good", "empty", "notes" })
            TestFiles.Text(Path.Combine(root, "labels", n + ".txt"), "0 0.1 0.1 0.1 0.5 0.5 0.6 0.5 0.2\n");

        var ds = YoloPointsDataset.Load("t", Path.Combine(root, "images"), Path.Combine(root, "labels"), Names, PointOrder.Canonical,
            TxtLayout.Auto, false, new ObjectRules(), false, NullLogger.Instance);

        Assert.Equal(["good.jpg"], ds.Images.Select(r => r.FileName));
        Assert.Equal(2, ds.Report.Skipped.Count);
        Assert.All(ds.Report.Skipped, s => Assert.Equal(SkipReasons.UnreadableImage, s.Reason));
    }

    [Fact]
    public void Reading_an_empty_or_cut_image_names_the_file_in_the_error()
    {
        var root = TestFiles.NewTempDir("read-bgr");
        var empty = TestFiles.Text(Path.Combine(root, "empty.jpg"), "");
        var cut = Path.Combine(root, "cut.jpg");
        File.WriteAllBytes(cut, Jpeg()[..700]);
        var e1 = Assert.Throws<InputDataException>(() => LoadedDataset.ReadBgr(empty));
        Assert.StartsWith(empty + ": ", e1.Message);
        var e2 = Assert.Throws<InputDataException>(() => LoadedDataset.ReadBgr(cut));
        Assert.StartsWith(cut + ": ", e2.Message);
    }
}
