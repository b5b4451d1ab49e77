using Google.Protobuf;
using NanoDet.Inference.Errors;


namespace NanoDet.Inference.Onnx;

/// <summary>
/// What an ONNX file declares about itself, read with our own schema (no runtime needed): the first input's and
/// output's shapes (-1 for a symbolic dimension), the opset and the metadata properties.
/// </summary>
public sealed record OnnxFileInfo(long[] InputShape, long[] OutputShape, long Opset, IReadOnlyDictionary<string, string> Metadata)
{
    public static OnnxFileInfo Read(string path)
    {
        if (!File.Exists(path)) throw new InputDataException($"{path}: ONNX file not found");
        ModelProto model;
        try
        {
            using var stream = File.OpenRead(path);
            model = ModelProto.Parser.ParseFrom(stream);
        }
        catch (InvalidProtocolBufferException e)
        {
            throw new InputDataException($"{path}: not an ONNX model ({e.Message})", e);
        }
        if (model.Graph is null || model.Graph.Input.Count == 0 || model.Graph.Output.Count == 0)
            throw new InputDataException($"{path}: not an ONNX model (no graph inputs/outputs)");
        var initializers = model.Graph.Initializer.Select(t => t.Name).ToHashSet(StringComparer.Ordinal);
        var input = model.Graph.Input.First(i => !initializers.Contains(i.Name));
        return new OnnxFileInfo(
            Shape(input), Shape(model.Graph.Output[0]),
            model.OpsetImport.Where(o => o.Domain is "" or "ai.onnx").Select(o => o.Version).DefaultIfEmpty(0).Max(),
            model.MetadataProps.ToDictionary(p => p.Key, p => p.Value, StringComparer.Ordinal));
    }

    /// <summary>True when the output has <paramref name="decodedChannels"/> channels (C + 4 + 2·points).</summary>
    public bool IsDecoded(int decodedChannels) => OutputShape.Length == 3 && OutputShape[2] == decodedChannels;

    private static long[] Shape(ValueInfoProto v) =>
        v.Type?.TensorType?.Shape?.Dim.Select(d => d.ValueCase == TensorShapeProto.Types.Dimension.ValueOneofCase.DimValue ? d.DimValue : -1).ToArray() ?? [];
}
