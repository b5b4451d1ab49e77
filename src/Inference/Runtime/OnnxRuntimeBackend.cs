using Microsoft.ML.OnnxRuntime;
using NanoDet.Inference.Errors;
using NanoDet.Inference.Onnx;

namespace NanoDet.Inference.Runtime;

/// <summary>ONNX Runtime (CPU execution provider) on an exported file; graph optimisations at their default level.</summary>
public sealed class OnnxRuntimeBackend : IInferenceBackend
{
    private readonly InferenceSession _session;
    private readonly RunOptions _runOptions = new();
    private readonly SessionOptions? _options;
    private readonly string _input;
    private readonly string _output;

    /// <param name="path">The .onnx file.</param>
    /// <param name="decodedChannels">Output channels that mean "decoded" (C + 4 + 2·points).</param>
    /// <param name="threads">Intra-op threads; 0 keeps ONNX Runtime's default (one per physical core).</param>
    public OnnxRuntimeBackend(string path, int decodedChannels, int threads = 0)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(threads);
        if (!File.Exists(path)) throw new InputDataException($"{path}: ONNX file not found");
        Threads = threads;
        try
        {
            _session = new InferenceSession(path, _options = new SessionOptions { IntraOpNumThreads = threads });
        }
        catch (OnnxRuntimeException e)
        {
            throw new InputDataException($"{path}: ONNX Runtime cannot load the model ({e.Message})", e);
        }
        _input = _session.InputNames[0];
        _output = _session.OutputNames[0];
        Decoded = OnnxFileInfo.Read(path).IsDecoded(decodedChannels);
    }

    public string Name => "onnxruntime";

    /// <summary>Intra-op threads asked for; 0 = ONNX Runtime's default (one per physical core).</summary>
    public int Threads { get; }

    /// <summary>"N intra-op thread(s)" or "ONNX Runtime's default threads", for logs.</summary>
    public string ThreadsText => Threads switch
    {
        0 => "ONNX Runtime's default threads",
        1 => "1 intra-op thread",
        _ => $"{Threads} intra-op threads",
    };

    public bool Decoded { get; }

    public BackendOutput Run(float[] input, int batch, int height, int width)
    {
        using var value = OrtValue.CreateTensorValueFromMemory(input, [batch, 3, height, width]);
        using var results = _session.Run(_runOptions, [_input], [value], [_output]);
        var output = results[0];
        return new BackendOutput(output.GetTensorDataAsSpan<float>().ToArray(), output.GetTensorTypeAndShape().Shape);
    }

    public void Dispose()
    {
        _runOptions.Dispose();
        _session.Dispose();
        _options?.Dispose();
    }
}
