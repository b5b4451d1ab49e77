using System.Runtime.InteropServices;
using NanoDet.Inference.Errors;
using NanoDet.Inference.Onnx;
using OpenCvSharp;
using OpenCvSharp.Dnn;

namespace NanoDet.Inference.Runtime;

/// <summary>OpenCV's DNN module (its own CPU backend) on an exported file: what a C++ deployment without ONNX Runtime uses.</summary>
public sealed class OpenCvDnnBackend : IInferenceBackend
{
    private readonly Net _net;

    /// <param name="path">The .onnx file.</param>
    /// <param name="decodedChannels">Output channels that mean "decoded" (C + 4 + 2·points).</param>
    public OpenCvDnnBackend(string path, int decodedChannels)
    {
        if (!File.Exists(path)) throw new InputDataException($"{path}: ONNX file not found");
        try
        {
            _net = CvDnn.ReadNetFromOnnx(path) ?? throw new InputDataException($"{path}: OpenCV DNN cannot read the model");
        }
        catch (OpenCVException e)
        {
            throw new InputDataException($"{path}: OpenCV DNN cannot read the model ({e.Message})", e);
        }
        _net.SetPreferableBackend(Backend.OPENCV);
        _net.SetPreferableTarget(Target.CPU);
        Decoded = OnnxFileInfo.Read(path).IsDecoded(decodedChannels);
    }

    public string Name => "opencv";

    public bool Decoded { get; }

    public BackendOutput Run(float[] input, int batch, int height, int width)
    {
        using var blob = new Mat([batch, 3, height, width], MatType.CV_32F);
        Marshal.Copy(input, 0, blob.Data, input.Length);
        _net.SetInput(blob);
        using var raw = _net.Forward();
        using var output = raw.Clone(); // continuous, owned here
        var shape = Enumerable.Range(0, output.Dims).Select(i => (long)output.Size(i)).ToArray();
        var values = new float[output.Total()];
        Marshal.Copy(output.Data, values, 0, values.Length);
        return new BackendOutput(values, shape);
    }

    public void Dispose() => _net.Dispose();
}
