using System.Text;
using NanoDet.Datasets.Common;

namespace NanoDet.Host.Tests.BadInput;

/// <summary>
/// The malformed inputs, built here so the corpus is small and readable: one <see cref="FuzzCase"/> per defect,
/// each with the outcome a user gets. The README's "Bad input" table summarises them.
/// </summary>
internal static class FuzzCorpus
{
    public static string XmlObject(string name, string x1, string y1) =>
        $"<object><name>{name}</name><points><x1>{x1}</x1><y1>{y1}</y1><x2>10</x2><y2>40</y2><x3>60</x3><y3>40</y3><x4>60</x4><y4>10</y4></points></object>";

    public static string Xml(string file, params string[] objects) =>
        $"<annotation><filename>{file}</filename><size><width>100</width><height>80</height></size>{string.Concat(objects)}</annotation>\n";

    public static string CocoAnnotation(string imageId, string bbox) =>
        $$"""{"id": 1, "image_id": {{imageId}}, "category_id": 1, "bbox": {{bbox}}, "points": [10, 10, 10, 40, 50, 40, 50, 10]}""";

    public static string Coco(string annotation, string images = """[{"id": 7, "file_name": "a.png", "width": 100, "height": 80}]""") =>
        $$"""{"images": {{images}}, "categories": [{"id": 1, "name": "B_1"}, {"id": 2, "name": "R_1"}], "annotations": [{{annotation}}]}""";

    private static byte[] T(string s) => Encoding.UTF8.GetBytes(s);

    private static byte[] Garbage(int n, int seed)
    {
        var b = new byte[n];
        new Random(seed).NextBytes(b);
        return b;
    }

    private static FuzzOutcome Skip(string reason) => FuzzOutcome.Skip(reason);
    private static readonly FuzzOutcome Error1 = FuzzOutcome.Error(1);
    private static readonly FuzzOutcome Error2 = FuzzOutcome.Error(2);

    public static IEnumerable<FuzzCase> Cases()
    {
        const FuzzFormat X = FuzzFormat.Xml;
        yield return new("empty file", X, [], Skip(SkipReasons.MalformedFile));
        yield return new("plain text", X, T("hello"), Skip(SkipReasons.MalformedFile));
        yield return new("cut inside a tag", X, T(Xml("a.png", XmlObject("B_1", "10", "10"))[..60]), Skip(SkipReasons.MalformedFile));
        yield return new("random bytes", X, Garbage(300, 1), Skip(SkipReasons.MalformedFile));
        yield return new("wrong root element", X, T("<voc><filename>a.png</filename></voc>"), Skip(SkipReasons.MalformedFile));
        yield return new("no file name", X, T("<annotation><object/></annotation>"), Skip(SkipReasons.MissingFileName));
        yield return new("image file missing", X, T(Xml("b.png")), Skip(SkipReasons.MissingImage));
        yield return new("path leaves the image folder", X, T(Xml("../../etc/passwd")), Skip(SkipReasons.PathEscapes));
        yield return new("NaN corner", X, T(Xml("a.png", XmlObject("B_1", "NaN", "10"))), Skip(SkipReasons.NonFinite));
        yield return new("unknown class", X, T(Xml("a.png", XmlObject("G_9", "10", "10"))), Skip(SkipReasons.UnknownClass));
        yield return new("entity expansion bomb", X, T("""
            <?xml version="1.0"?>
            <!DOCTYPE a [<!ENTITY a "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa">
            <!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;"><!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;">
            <!ENTITY d "&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;"><!ENTITY e "&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;">]>
            <annotation><filename>&e;</filename></annotation>
            """), Skip(SkipReasons.MalformedFile));
        yield return new("UTF-16 without a declaration (detected, read)", X, Encoding.Unicode.GetBytes(Xml("a.png")), FuzzOutcome.Ok);

        const FuzzFormat C = FuzzFormat.CocoJson;
        yield return new("empty file", C, [], Error1);
        yield return new("cut in the middle", C, T(Coco(CocoAnnotation("7", "[10, 10, 40, 30]"))[..70]), Error1);
        yield return new("a JSON array, not an object", C, T("[]"), Error1);
        yield return new("'images' is not an array", C, T("""{"images": 3, "categories": [{"id": 1, "name": "B_1"}], "annotations": []}"""), Error1);
        yield return new("random bytes", C, Garbage(200, 2), Error1);
        yield return new("nesting 10,000 deep", C, T(new string('[', 10_000) + new string(']', 10_000)), Error1);
        yield return new("annotation of an unknown image", C, T(Coco(CocoAnnotation("99", "[10, 10, 40, 30]"))), Skip(SkipReasons.UnknownImageId));
        yield return new("bbox of strings", C, T(Coco(CocoAnnotation("7", """["a", "b", "c", "d"]"""))), Skip(SkipReasons.InvalidNumber));
        yield return new("bbox number beyond double", C, T(Coco(CocoAnnotation("7", "[1e999, 10, 40, 30]"))), Skip(SkipReasons.NonFinite));
        yield return new("image entry without file name", C, T(Coco("", """[{"id": 7}]""")),
            Skip(SkipReasons.InvalidImageEntry));

        const FuzzFormat L = FuzzFormat.Txt;
        yield return new("empty file (a negative)", L, [], FuzzOutcome.Ok);
        yield return new("random bytes", L, Garbage(200, 3), Skip(SkipReasons.WrongNumberCount));
        yield return new("eight numbers", L, T("0 0.1 0.1 0.1 0.5 0.5 0.6 0.5\n"), Skip(SkipReasons.WrongNumberCount));
        yield return new("class id -1", L, T("-1 0.1 0.1 0.1 0.5 0.5 0.6 0.5 0.2\n"), Skip(SkipReasons.UnknownClass));
        yield return new("nan coordinate", L, T("0 nan 0.1 0.1 0.5 0.5 0.6 0.5 0.2\n"), Skip(SkipReasons.NonFinite));
        yield return new("a 200,000-digit number", L, T("0 0." + new string('1', 200_000) + " 0.1 0.1 0.5 0.5 0.6 0.5 0.2\n"), FuzzOutcome.Ok);
        yield return new("NUL after a number (.NET reads the number)", L, T("0 0.1\0 0.1 0.1 0.5 0.5 0.6 0.5 0.2\n"), FuzzOutcome.Ok);
        yield return new("a NUL inside a number", L, T("0 0.\01 0.1 0.1 0.5 0.5 0.6 0.5 0.2\n"), Skip(SkipReasons.InvalidNumber));

        const FuzzFormat Y = FuzzFormat.YamlConfig;
        yield return new("empty file", Y, [], FuzzOutcome.Ok);
        yield return new("tab indentation", Y, T("model:\n\tarch: x\n"), Error2);
        yield return new("unterminated quote", Y, T("save_dir: \"abc\n"), Error2);
        yield return new("random bytes", Y, Garbage(200, 4), Error2);
        yield return new("undefined alias", Y, T("a: *nothing\n"), Error2);
        yield return new("a list at the top", Y, T("- a\n- b\n"), Error2);

        const FuzzFormat J = FuzzFormat.JsonConfig;
        yield return new("empty file", J, [], Error2);
        yield return new("cut in the middle", J, T("{\"model\": {\"arch\": "), Error2);
        yield return new("a JSON array", J, T("[1, 2]"), Error2);
        yield return new("a bare value", J, T("42"), Error2);
        yield return new("trailing commas and comments (accepted)", J, T("{\"save_dir\": \"x\", // here\n}"), FuzzOutcome.Ok);

        const FuzzFormat S = FuzzFormat.Safetensors;
        var valid = FuzzReaders.Valid(S);
        yield return new("empty file", S, [], Error1);
        yield return new("header length beyond the file", S, [0xFF, 0xFF, 0xFF, 0x7F, 0, 0, 0, 0, (byte)'{', (byte)'}'], Error1);
        yield return new("header is not JSON", S, [.. BitConverter.GetBytes(4L), .. T("abcd")], Error1);
        yield return new("data cut short", S, valid[..^6], Error1);
        yield return new("unknown dtype", S, Header("""{"a": {"dtype": "Q7", "shape": [1], "data_offsets": [0, 4]}}""", 4), Error1);
        yield return new("overlapping offsets", S,
            Header("""{"a": {"dtype": "F32", "shape": [1], "data_offsets": [0, 4]}, "b": {"dtype": "F32", "shape": [1], "data_offsets": [2, 6]}}""", 6), Error1);
        yield return new("shape overflows", S, Header("""{"a": {"dtype": "F32", "shape": [4611686018427387904, 4], "data_offsets": [0, 4]}}""", 4), Error1);

        const FuzzFormat P = FuzzFormat.PyTorch;
        var pth = FuzzReaders.Valid(P);
        yield return new("empty file", P, [], Error1);
        yield return new("random bytes", P, Garbage(500, 5), Error1);
        yield return new("zip cut in half", P, pth[..(pth.Length / 2)], Error1);
        yield return new("pickle calls os.system", P, File.ReadAllBytes(Path.Combine(TestPaths.BinDir, "Fixtures", "pytorch", "evil_os_system.pth")), Error1);
        yield return new("storage missing from the zip", P, File.ReadAllBytes(Path.Combine(TestPaths.BinDir, "Fixtures", "pytorch", "missing_storage.pth")), Error1);

        var onnx = FuzzReaders.TinyOnnx();
        foreach (var o in new[] { FuzzFormat.OnnxRuntime, FuzzFormat.OnnxOpenCv })
        {
            yield return new("empty file", o, [], Error1);
            yield return new("random bytes", o, Garbage(300, 6), Error1);
            yield return new("cut in half", o, onnx[..(onnx.Length / 2)], Error1);
            yield return new("valid protobuf without a graph", o, [0x08, 0x07], Error1);
        }
    }

    /// <summary>A safetensors file with the given header JSON and <paramref name="dataBytes"/> zero bytes of data.</summary>
    private static byte[] Header(string json, int dataBytes) => [.. BitConverter.GetBytes((long)Encoding.UTF8.GetByteCount(json)), .. T(json), .. new byte[dataBytes]];
}
