// The README sample of the NanoDet.Inference package (src/Inference/README.md; a test keeps the two equal).
// Usage: dotnet run --project samples/OnnxDetect -- model.onnx image-or-video camera.yaml
using NanoDet.Inference;
using NanoDet.Inference.Pose;
using OpenCvSharp;

using var detector = OnnxDetector.Open(args[0]);                   // classes, input size, normalisation: from the file
var camera = CameraCalibrationFile.Read(args[2]);                   // OpenCV or ROS calibration YAML
using var capture = new VideoCapture(args[1]);
using var frame = new Mat();
while (capture.Read(frame) && !frame.Empty())
    foreach (var d in detector.Detect(frame))                       // box and four corners in frame pixels
        if (d.Points is { } corners && PlatePoseSolver.Solve(corners, 0.135, 0.056, camera) is { } pose)
            Console.WriteLine($"{detector.ClassName(d.Label)} {d.Score:F2} {corners} at {pose.Distance:F2} m");
