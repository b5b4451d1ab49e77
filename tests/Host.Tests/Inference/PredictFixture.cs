using System.Text.Json.Nodes;
using NanoDet.Host.Tests.Export;
using NanoDet.Host.Tests.Model;
using NanoDet.Training;
using OpenCvSharp;

namespace NanoDet.Host.Tests.Inference;

/// <summary>
/// Small real files for the predict/export CLI tests: a self-describing checkpoint of the tiny four-point model
/// (random but discriminative weights, see <see cref="ExportFixture"/>; its embedded config gives the architecture,
/// three class names and a 320×256 val input), generated armor-like images and a short video.
/// </summary>
internal static class PredictFixture
{
    public static readonly string[] ClassNames = ["blue_1", "red_1", "red_3"];

    /// <summary>Writes the checkpoint into <paramref name="dir"/> and returns its path.</summary>
    public static string Checkpoint(string dir, int width = 320, int height = 256, bool keepRatio = false)
    {
        var flat = ModelConfig.Tiny(classes: 3);
        for (int i = 0; i < ClassNames.Length; i++) flat[$"class_names:{i}"] = ClassNames[i];
        flat["data:val:input_size:0"] = width.ToString(System.Globalization.CultureInfo.InvariantCulture);
        flat["data:val:input_size:1"] = height.ToString(System.Globalization.CultureInfo.InvariantCulture);
        flat["data:val:keep_ratio"] = keepRatio ? "true" : "false";
        using var model = ExportFixture.TinyModel(seed: 5);
        var path = Path.Combine(dir, "tiny.safetensors");
        new CheckpointStore(dir, Nested(flat).ToJsonString(), ClassNames).SaveWeights(path, model, epoch: 3, metrics: null);
        return path;
    }

    /// <summary>A W×H BGR image with a few bright, slightly rotated "armor plates" on a dark textured background.</summary>
    public static Mat Image(int width, int height, int seed)
    {
        var rng = new Random(seed);
        var image = new Mat(height, width, MatType.CV_8UC3, new Scalar(30, 30, 40));
        for (int i = 0; i < 200; i++)
            Cv2.Circle(image, new Point(rng.Next(width), rng.Next(height)), rng.Next(2, 6), new Scalar(rng.Next(60), rng.Next(60), rng.Next(60)), -1);
        for (int k = 0; k < 3; k++)
        {
            var center = new Point2f(rng.Next(width / 6, 5 * width / 6), rng.Next(height / 6, 5 * height / 6));
            var box = new RotatedRect(center, new Size2f(rng.Next(40, 90), rng.Next(20, 45)), rng.Next(-20, 20));
            var pts = box.Points().Select(p => new Point((int)p.X, (int)p.Y)).ToArray();
            Cv2.FillConvexPoly(image, pts, k % 2 == 0 ? new Scalar(255, 120, 30) : new Scalar(40, 60, 255));
            Cv2.PutText(image, (k + 1).ToString(System.Globalization.CultureInfo.InvariantCulture), new Point((int)center.X - 6, (int)center.Y + 8),
                HersheyFonts.HersheySimplex, 0.8, Scalar.White, 2);
        }
        return image;
    }

    /// <summary>Writes <paramref name="count"/> images as PNG files; returns their paths.</summary>
    public static string[] Images(string dir, int count, int width = 400, int height = 300)
    {
        Directory.CreateDirectory(dir);
        return Enumerable.Range(0, count).Select(i =>
        {
            var path = Path.Combine(dir, $"img{i:D2}.png");
            using var m = Image(width, height, 100 + i);
            Cv2.ImWrite(path, m);
            return path;
        }).ToArray();
    }

    /// <summary>A short Motion-JPEG .avi (always writable by OpenCV) of <paramref name="frames"/> frames.</summary>
    public static string Video(string dir, int frames, int width = 320, int height = 240)
    {
        Directory.CreateDirectory(dir);
        var path = Path.Combine(dir, "clip.avi");
        using var writer = new VideoWriter(path, FourCC.MJPG, 10, new Size(width, height));
        Assert.True(writer.IsOpened(), "OpenCV cannot write an MJPG video here");
        for (int i = 0; i < frames; i++)
        {
            using var m = Image(width, height, 200 + i);
            writer.Write(m);
        }
        writer.Release();
        return path;
    }

    /// <summary>{"a:b:0": v} → {"a": {"b": ["v"]}} (numbered keys become lists).</summary>
    private static JsonObject Nested(Dictionary<string, string?> flat)
    {
        var root = new JsonObject();
        foreach (var (key, value) in flat)
        {
            var parts = key.Split(':');
            JsonNode node = root;
            for (int i = 0; i < parts.Length - 1; i++)
            {
                bool nextIsIndex = int.TryParse(parts[i + 1], out _);
                node = node is JsonObject o
                    ? o[parts[i]] ??= nextIsIndex ? new JsonArray() : new JsonObject()
                    : Child((JsonArray)node, int.Parse(parts[i]), nextIsIndex);
            }
            if (node is JsonObject obj) obj[parts[^1]] = value;
            else
            {
                var arr = (JsonArray)node;
                int idx = int.Parse(parts[^1]);
                while (arr.Count <= idx) arr.Add(null);
                arr[idx] = value;
            }
        }
        return root;
    }

    private static JsonNode Child(JsonArray array, int index, bool nextIsIndex)
    {
        while (array.Count <= index) array.Add(null);
        return array[index] ??= nextIsIndex ? new JsonArray() : new JsonObject();
    }
}
