using System.Buffers.Binary;
using System.ComponentModel.DataAnnotations;
using System.Reflection;
using NanoDet.Abstractions.Data;
using NanoDet.Abstractions.Evaluation;
using NanoDet.Abstractions.Model;
using NanoDet.Abstractions.Plugins;
using NanoDet.Inference.Detections;
using NanoDet.Inference.Errors;
using NanoDet.Inference.Geometry;

namespace NanoDet.Evaluators.Tests;

/// <summary>Plots on disk, the records path (a dataset + model detections) and the plugin surface.</summary>
public class PlotAndPluginTests
{
    private static string CaseDir => Path.Combine(AppContext.BaseDirectory, "Parity", "cases");

    [Fact]
    public void Plots_are_png_files_of_the_configured_size()
    {
        var dir = TempDir.Create("plots");
        var evaluator = new CocoDetectionEvaluator(new CocoDetectionEvaluatorOptions { PlotWidth = 640, PlotHeight = 480 });
        var input = evaluator.ReadCocoFiles(Path.Combine(CaseDir, "armor.gt.json"), Path.Combine(CaseDir, "armor.dt.json"));
        var report = evaluator.Evaluate(input, dir);

        Assert.Equal(["confusion_matrix.json", "confusion_matrix.png", "corner_error_hist.png", "pr_curve.png", "pr_curve_per_class.png"], report.Files.Select(f => Path.GetFileName(f)!).Order(StringComparer.Ordinal));
        var (w, h) = PngSize(Path.Combine(dir, "pr_curve.png"));
        Assert.Equal((640, 480), (w, h));
        // 18 classes → a 5-column grid (ceil(sqrt(18)) = 5) of 4 rows, cells of half the plot size.
        Assert.Equal((5 * 320, 4 * 240), PngSize(Path.Combine(dir, "pr_curve_per_class.png")));
        Assert.Equal((640, 480), PngSize(Path.Combine(dir, "corner_error_hist.png")));
        Assert.Equal((640, 640), PngSize(Path.Combine(dir, "confusion_matrix.png"))); // square, plot_width on each side
        foreach (var f in report.Files.Where(f => f.EndsWith(".png", StringComparison.Ordinal))) Assert.True(new FileInfo(f).Length > 10_000, $"{f} looks empty");
    }

    [Fact]
    public void Plots_can_be_switched_off()
    {
        var dir = TempDir.Create("no-plots");
        var report = new CocoCase().Images(1).Gt(1, 0, 0, 20, 20).Det(1, 0, 0, 20, 20, 0.9)
            .Evaluate(dir, new CocoDetectionEvaluatorOptions { Plots = false });
        Assert.Empty(report.Files);
        Assert.Empty(Directory.GetFiles(dir));
    }

    [Fact]
    public void Records_from_a_dataset_and_a_model_evaluate_like_the_files()
    {
        // The parity case "armor" has float32 scores (exact as floats) and 2-decimal coordinates, which move by
        // < 1e-4 px as floats, far from any IoU threshold: the area-"all" stats agree with the file path to 1e-9.
        // The area-range stats do not: its areas 1023.9999999999999 and 9216.000000000002 become 1024 and 9216
        // as floats and fall into a second range (that is why files are evaluated in double precision).
        var evaluator = new CocoDetectionEvaluator();
        var fromFiles = evaluator.ReadCocoFiles(Path.Combine(CaseDir, "armor.gt.json"), Path.Combine(CaseDir, "armor.dt.json"));
        var records = new EvaluationInput(fromFiles.Classes, fromFiles.Images.Reverse().ToArray(), fromFiles.Detections.ToArray());
        var a = evaluator.Evaluate(fromFiles, null);
        var b = evaluator.Evaluate(records, null);
        foreach (var name in new[] { "mAP", "AP_50", "AP_75", "AR_1", "AR_10", "AR_100" })
            Assert.True(Math.Abs(a.Metrics[name] - b.Metrics[name]) < 1e-9, $"{name}: files {a.Metrics[name]}, records {b.Metrics[name]}");
        Assert.NotEqual(a.Metrics["AP_m"], b.Metrics["AP_m"]);
    }

    [Fact]
    public void Records_with_unknown_images_or_labels_are_rejected()
    {
        var classes = ClassTable.FromNames(["a"]);
        var image = new ImageRecord(1, "1.jpg", "/x/1.jpg", 10, 10, [new Annotation(0, new Box(0, 0, 5, 5), null)]);
        var evaluator = new CocoDetectionEvaluator();
        var unknownImage = new EvaluationInput(classes, [image], [new ImageDetection(2, new Detection(0, new Box(0, 0, 5, 5), 0.5f, null))]);
        Assert.Contains("image id 2", Assert.Throws<InputDataException>(() => evaluator.Evaluate(unknownImage, null)).Message);
        var badLabel = new EvaluationInput(classes, [image], [new ImageDetection(1, new Detection(3, new Box(0, 0, 5, 5), 0.5f, null))]);
        Assert.Contains("label 3", Assert.Throws<InputDataException>(() => evaluator.Evaluate(badLabel, null)).Message);
    }

    [Fact]
    public void Plugin_is_registered_under_nanodets_name_with_validated_options()
    {
        var attribute = typeof(CocoDetectionEvaluatorPlugin).GetCustomAttribute<NanoDetPluginAttribute>()!;
        Assert.Equal((PluginKind.Evaluator, "CocoDetectionEvaluator"), (attribute.Kind, attribute.Name));

        var bad = new CocoDetectionEvaluatorOptions { SaveKey = "accuracy" };
        var results = new List<ValidationResult>();
        Assert.False(Validator.TryValidateObject(bad, new ValidationContext(bad), results, validateAllProperties: true));
        Assert.Contains("mAP", results.Single().ErrorMessage);
        Assert.Equal(nameof(CocoDetectionEvaluatorOptions.SaveKey), results.Single().MemberNames.Single());
        var good = new CocoDetectionEvaluatorOptions { SaveKey = "AP_50" };
        Assert.True(Validator.TryValidateObject(good, new ValidationContext(good), results, validateAllProperties: true));
    }

    private static (int Width, int Height) PngSize(string path)
    {
        var bytes = File.ReadAllBytes(path);
        Assert.Equal(new byte[] { 0x89, (byte)'P', (byte)'N', (byte)'G' }, bytes[..4]);
        return (BinaryPrimitives.ReadInt32BigEndian(bytes.AsSpan(16)), BinaryPrimitives.ReadInt32BigEndian(bytes.AsSpan(20)));
    }
}
