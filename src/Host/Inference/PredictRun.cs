using System.Diagnostics;
using System.Globalization;
using Microsoft.Extensions.Logging;
using NanoDet.Abstractions.Data;
using NanoDet.Abstractions.Evaluation;
using NanoDet.Host.Pose;
using NanoDet.Host.Runtime;
using NanoDet.Inference.Errors;
using NanoDet.Inference.Geometry;
using OpenCvSharp;
using Spectre.Console;

namespace NanoDet.Host.Inference;

/// <summary>
/// Runs a <see cref="Detector"/> over a <see cref="PredictInput"/>: annotated images (same relative names) or an
/// annotated video in the output folder, <c>predictions.json</c>, a progress bar with frames per second, and a
/// summary. Unreadable images or videos are reported one line each and skipped.
/// </summary>
/// <remarks>With a <see cref="PoseSetup"/>, every detection with corners gets its plate pose by PnP (in the JSON) and
/// drawn detections get their axes and distance.</remarks>
internal sealed class PredictRun(Detector detector, DetectionPainter painter, ClassTable classes, string outputDir, ILogger log, PoseSetup? pose = null)
{
    public const string ResultsFileName = "predictions.json";

    /// <summary>What a run did.</summary>
    public sealed record Summary(int Processed, int Skipped, int Detections, int Drawn, double Seconds, string ResultsPath, IReadOnlyList<string> Outputs, int Posed = 0)
    {
        public double PerSecond => Seconds > 0 ? Processed / Seconds : 0;
    }

    private readonly List<PredictionRecord> _records = [];
    private readonly List<string> _outputs = [];
    private int _processed, _skipped, _detections, _drawn, _posed;

    public Summary Run(PredictInput input, CancellationToken cancellation)
    {
        Directory.CreateDirectory(outputDir);
        var watch = Stopwatch.StartNew();
        if (input.Kind == PredictInputKind.Video) RunVideo(input.Files[0], cancellation);
        else RunImages(input, cancellation);
        watch.Stop();
        var results = Path.Combine(outputDir, ResultsFileName);
        PredictionJsonWriter.Write(results, _records);
        return new Summary(_processed, _skipped, _detections, _drawn, watch.Elapsed.TotalSeconds, results, _outputs, _posed);
    }

    private void RunImages(PredictInput input, CancellationToken cancellation)
    {
        WithProgress("images", input.Files.Count, advance =>
        {
            int imageId = 0;
            foreach (var file in input.Files)
            {
                cancellation.ThrowIfCancellationRequested();
                imageId++;
                var relative = input.Relative(file);
                using var image = ReadImage(file);
                if (image is null)
                {
                    advance();
                    continue;
                }
                var detections = detector.Detect(image);
                var poses = Collect(relative, null, imageId, detections, image.Width, image.Height);
                _drawn += painter.Draw(image, detections);
                DrawPoses(image, detections, poses);
                var target = Path.Combine(outputDir, relative);
                Directory.CreateDirectory(Path.GetDirectoryName(target)!);
                if (!Cv2.ImWrite(target, image)) throw new IOException($"{target}: cannot write the annotated image");
                _outputs.Add(target);
                _processed++;
                advance();
            }
        });
    }

    private Mat? ReadImage(string file)
    {
        Mat? image = null;
        try
        {
            var bytes = File.ReadAllBytes(file);
            image = bytes.Length == 0 ? null : Cv2.ImDecode(bytes, ImreadModes.Color);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            log.LogWarning("skipped {File}: {Reason}", file, e.Message);
            _skipped++;
            return null;
        }
        catch (OpenCVException e)
        {
            image?.Dispose();
            image = null;
            log.LogDebug("{File}: {Error}", file, e.Message);
        }
        if (image is null || image.Empty())
        {
            image?.Dispose();
            log.LogWarning("skipped {File}: not a readable image", file);
            _skipped++;
            return null;
        }
        return image;
    }

    private void RunVideo(string file, CancellationToken cancellation)
    {
        using var capture = new VideoCapture(file);
        if (!capture.IsOpened())
        {
            log.LogWarning("skipped {File}: OpenCV cannot open the video", file);
            _skipped++;
            return;
        }
        double fps = capture.Fps is > 0 and < 1000 ? capture.Fps : 25;
        int total = Math.Max(0, capture.FrameCount);
        var name = Path.GetFileName(file);
        VideoWriter? writer = null;
        try
        {
            WithProgress("frames", total, advance =>
            {
                using var frame = new Mat();
                int index = 0;
                while (capture.Read(frame) && !frame.Empty())
                {
                    cancellation.ThrowIfCancellationRequested();
                    writer ??= OpenWriter(Path.GetFileNameWithoutExtension(file), fps, frame.Size());
                    var detections = detector.Detect(frame);
                    var poses = Collect(name, index, index + 1, detections, frame.Width, frame.Height);
                    _drawn += painter.Draw(frame, detections);
                    DrawPoses(frame, detections, poses);
                    writer.Write(frame);
                    _processed++;
                    index++;
                    advance();
                }
            });
        }
        finally
        {
            writer?.Release();
            writer?.Dispose();
        }
        if (_processed == 0)
        {
            log.LogWarning("skipped {File}: no frame could be decoded", file);
            _skipped++;
        }
    }

    /// <summary>mp4v in .mp4 where the OpenCV build has it, else Motion-JPEG in .avi (always available).</summary>
    private VideoWriter OpenWriter(string stem, double fps, OpenCvSharp.Size size)
    {
        foreach (var (codec, ext) in new[] { ("mp4v", ".mp4"), ("MJPG", ".avi") })
        {
            var path = Path.Combine(outputDir, stem + ext);
            var writer = new VideoWriter(path, FourCC.FromString(codec), fps, size);
            if (writer.IsOpened())
            {
                _outputs.Add(path);
                log.LogInformation("writing {Path} ({Codec}, {Fps:F1} fps, {W}x{H})", path, codec, fps, size.Width, size.Height);
                return writer;
            }
            writer.Dispose();
        }
        throw new IOException($"{outputDir}: OpenCV can open no video writer (tried mp4v .mp4 and MJPG .avi)");
    }

    /// <summary>Records the detections (with their poses when there is a camera); returns the poses in detection order.</summary>
    private NanoDet.Inference.Pose.ObjectPose?[] Collect(string fileName, int? frame, int imageId, IReadOnlyList<NanoDet.Inference.Detections.Detection> detections, int width, int height)
    {
        var poses = new NanoDet.Inference.Pose.ObjectPose?[detections.Count];
        for (int i = 0; i < detections.Count; i++)
        {
            var d = detections[i];
            if (pose is not null && d.Points is { } q) poses[i] = pose.Solve(d.Label, q, width, height);
            _records.Add(new PredictionRecord(fileName, frame, CocoResultRecord.From(imageId, d, classes), poses[i]));
            if (poses[i] is not null) _posed++;
        }
        _detections += detections.Count;
        return poses;
    }

    private void DrawPoses(Mat image, IReadOnlyList<NanoDet.Inference.Detections.Detection> detections, NanoDet.Inference.Pose.ObjectPose?[] poses)
    {
        if (pose is null) return;
        for (int i = 0; i < detections.Count; i++)
            if (poses[i] is { } p && detections[i].Score >= painter.Threshold)
                PoseOverlay.Draw(image, detections[i], p, pose.CameraFor(image.Width, image.Height), pose.PlateSize(detections[i].Label).Height);
    }

    /// <summary>A live bar on a terminal (items/s in the description); without one, the work runs silently and the summary reports.</summary>
    private static void WithProgress(string unit, int total, Action<Action> work)
    {
        if (!ConsoleUi.IsInteractive)
        {
            work(() => { });
            return;
        }
        ConsoleUi.Error.Progress()
            .AutoClear(false)
            .Columns(new LiteralDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn(), new RemainingTimeColumn())
            .Start(ctx =>
            {
                var task = ctx.AddTask(unit, maxValue: Math.Max(1, total));
                if (total == 0) task.IsIndeterminate = true;
                var watch = Stopwatch.StartNew();
                int done = 0;
                work(() =>
                {
                    done++;
                    task.Increment(1);
                    task.Description = string.Create(CultureInfo.InvariantCulture, $"{unit} {done}{(total > 0 ? $"/{total}" : "")} ({done / Math.Max(1e-9, watch.Elapsed.TotalSeconds):F1}/s)");
                });
                task.Value = task.MaxValue;
            });
    }
}
