using Google.Protobuf;
using Microsoft.Extensions.Logging.Abstractions;
using NanoDet.Abstractions.Data;
using NanoDet.Abstractions.Plugins;
using NanoDet.Checkpoints;
using NanoDet.Checkpoints.Safetensors;
using NanoDet.Datasets.Coco;
using NanoDet.Datasets.Common;
using NanoDet.Datasets.Xml;
using NanoDet.Datasets.YoloPoints;
using NanoDet.Host.Cli;
using NanoDet.Host.Configuration;
using NanoDet.Host.Inference;
using NanoDet.Inference.Errors;
using NanoDet.Inference.Geometry;
using NanoDet.Inference.Onnx;
using NanoDet.Inference.Runtime;
using OpenCvSharp;

namespace NanoDet.Host.Tests.BadInput;

/// <summary>
/// Runs the product's own reader for each <see cref="FuzzFormat"/> on given bytes and classifies the result as a
/// <see cref="FuzzOutcome"/>. Only the user-facing exceptions (<see cref="InputDataException"/>,
/// <see cref="ConfigurationException"/>) count as outcomes; any other exception escapes and fails the test.
/// </summary>
internal static class FuzzReaders
{
    public static readonly string[] ClassNames = ["B_1", "R_1"];

    /// <summary>The file name each format is written under (the extension picks the config parser).</summary>
    public static string FileName(FuzzFormat f) => f switch
    {
        FuzzFormat.Xml => "xml/a.xml",
        FuzzFormat.CocoJson => "ann.json",
        FuzzFormat.Txt => "labels/a.txt",
        FuzzFormat.YamlConfig => "config.yml",
        FuzzFormat.JsonConfig => "config.json",
        FuzzFormat.Safetensors => "weights.safetensors",
        FuzzFormat.PyTorch => "weights.pth",
        _ => "model.onnx",
    };

    /// <summary>Writes <paramref name="content"/> into a fresh folder beside a valid 100x80 image a.png, reads it, and classifies.</summary>
    public static FuzzOutcome Read(FuzzFormat format, byte[] content, string dir)
    {
        var file = Path.Combine(dir, FileName(format));
        Directory.CreateDirectory(Path.GetDirectoryName(file)!);
        Directory.CreateDirectory(Path.Combine(dir, "images"));
        using (var m = new Mat(80, 100, MatType.CV_8UC3, Scalar.All(90))) Cv2.ImWrite(Path.Combine(dir, "images", "a.png"), m);
        File.WriteAllBytes(file, content);
        try
        {
            return Classify(format, file, dir);
        }
        catch (Exception e) when (e is InputDataException or ConfigurationException)
        {
            // one line naming the file (the CLI prints exactly this after "error: ")
            Assert.True(e.Message.Contains(Path.GetFileName(file), StringComparison.Ordinal) || e.Message.Contains("data:", StringComparison.Ordinal),
                $"the message does not name the file: {e.Message}");
            return FuzzOutcome.Error(CommandRunner.ExitCodeFor(e));
        }
    }

    private static FuzzOutcome Classify(FuzzFormat format, string file, string dir)
    {
        var images = Path.Combine(dir, "images");
        switch (format)
        {
            case FuzzFormat.Xml:
                return Of(XmlDataset.Load("t", images, Path.Combine(dir, "xml"), ClassTable.FromNames(ClassNames), PointOrder.Canonical,
                    new ObjectRules(), false, false, NullLogger.Instance));
            case FuzzFormat.CocoJson:
                return Of(CocoDataset.Load("t", images, file, ClassNames, PointOrder.Canonical, new ObjectRules(), false, NullLogger.Instance));
            case FuzzFormat.Txt:
                return Of(YoloPointsDataset.Load("t", images, Path.Combine(dir, "labels"), ClassNames, PointOrder.Canonical, TxtLayout.Auto,
                    false, new ObjectRules(), false, NullLogger.Instance));
            case FuzzFormat.YamlConfig or FuzzFormat.JsonConfig:
                ConfigFileReader.ReadFile(file);
                return FuzzOutcome.Ok;
            case FuzzFormat.Safetensors or FuzzFormat.PyTorch:
                foreach (var (_, t) in WeightsReader.Read(file).Entries) t.Dispose();
                return FuzzOutcome.Ok;
            case FuzzFormat.OnnxRuntime:
                using (new OnnxRuntimeBackend(file, 16)) return FuzzOutcome.Ok;
            case FuzzFormat.OnnxOpenCv:
                using (new OpenCvDnnBackend(file, 16)) return FuzzOutcome.Ok;
            default:
                throw new ArgumentOutOfRangeException(nameof(format));
        }
    }

    private static FuzzOutcome Of(IDetectionDataset ds) =>
        ds.Report.Skipped.Count > 0 ? FuzzOutcome.Skip(ds.Report.Skipped[0].Reason) : FuzzOutcome.Ok;

    /// <summary>A valid file of each format (the seeds of the mutation run).</summary>
    public static byte[] Valid(FuzzFormat format) => format switch
    {
        FuzzFormat.Xml => Text(FuzzCorpus.Xml("a.png", FuzzCorpus.XmlObject("B_1", "10", "10"))),
        FuzzFormat.CocoJson => Text(FuzzCorpus.Coco(FuzzCorpus.CocoAnnotation("7", "[10, 10, 40, 30]"))),
        FuzzFormat.Txt => Text("0 0.1 0.1 0.1 0.5 0.5 0.6 0.5 0.2\n1 0.6 0.1 0.6 0.4 0.9 0.4 0.9 0.1\n"),
        FuzzFormat.YamlConfig => File.ReadAllBytes(Path.Combine(TestPaths.RepoRoot, "configs", "nanodet-plus-m_416-fourpoint.yml")),
        FuzzFormat.JsonConfig => File.ReadAllBytes(Path.Combine(TestPaths.BinDir, "Fixtures", "tiny-train.json")),
        FuzzFormat.Safetensors => new SafetensorsFile(
            [new SafetensorsTensor("a.weight", SafetensorsDType.F32, [2, 3], new byte[24]), new SafetensorsTensor("a.bias", SafetensorsDType.F32, [2], new byte[8])],
            new Dictionary<string, string> { ["format"] = "pt" }).ToBytes(),
        FuzzFormat.PyTorch => File.ReadAllBytes(Path.Combine(TestPaths.BinDir, "Fixtures", "pytorch", "state_dict_bare.pth")),
        _ => TinyOnnx(),
    };

    /// <summary>A valid ONNX model: data [1,3,8,8] → Relu → output.</summary>
    public static byte[] TinyOnnx()
    {
        static ValueInfoProto Value(string name)
        {
            var shape = new TensorShapeProto();
            foreach (var d in new long[] { 1, 3, 8, 8 }) shape.Dim.Add(new TensorShapeProto.Types.Dimension { DimValue = d });
            return new ValueInfoProto
            {
                Name = name,
                Type = new TypeProto { TensorType = new TypeProto.Types.Tensor { ElemType = 1, Shape = shape } },
            };
        }
        var graph = new GraphProto { Name = "tiny" };
        graph.Node.Add(new NodeProto { OpType = "Relu", Input = { "data" }, Output = { "output" } });
        graph.Input.Add(Value("data"));
        graph.Output.Add(Value("output"));
        var model = new ModelProto { IrVersion = 7, Graph = graph, ProducerName = "fuzz" };
        model.OpsetImport.Add(new OperatorSetIdProto { Domain = "", Version = 11 });
        return model.ToByteArray();
    }

    public static byte[] Text(string s) => System.Text.Encoding.UTF8.GetBytes(s);
}
