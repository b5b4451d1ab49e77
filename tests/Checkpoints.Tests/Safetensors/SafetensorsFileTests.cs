using System.Buffers.Binary;
using System.Text;
using NanoDet.Abstractions.Plugins;
using NanoDet.Checkpoints;
using NanoDet.Checkpoints.Safetensors;
using NanoDet.Inference.Errors;
using static TorchSharp.torch;

namespace NanoDet.Checkpoints.Tests.Safetensors;

public class SafetensorsFileTests
{
    private static string TempFile(string name = "w.safetensors") => Path.Combine(TestPaths.NewTempDir("st"), name);

    /// <summary>One tensor of every dtype TorchSharp shares with the format, with awkward values (NaN, −0, extremes).</summary>
    private static List<(string Name, Tensor Value)> EveryDType()
    {
        var f = tensor(new[] { 1.5f, -0f, float.NaN, float.PositiveInfinity, float.Epsilon, -3.25e38f }, [2, 3]);
        return
        [
            ("f32", f),
            ("f64", tensor(new[] { Math.PI, -0.0, double.MaxValue, double.NaN }, [4])),
            ("f16", f.to(ScalarType.Float16)),
            ("bf16", f.to(ScalarType.BFloat16)),
            ("i64", tensor(new[] { long.MinValue, -1L, 0L, long.MaxValue }, [2, 2])),
            ("i32", tensor(new[] { int.MinValue, 7, int.MaxValue }, [3])),
            ("i16", tensor(new short[] { short.MinValue, 3, short.MaxValue }, [3])),
            ("i8", tensor(new sbyte[] { -128, 0, 127 }, [3])),
            ("u8", tensor(new byte[] { 0, 128, 255 }, [3])),
            ("bool", tensor(new[] { true, false, true }, [3])),
            ("scalar_i64", tensor(42L)),
            ("empty", zeros([0, 4])),
        ];
    }

    [Fact]
    public void Every_dtype_round_trips_bit_exactly_with_metadata()
    {
        using var scope = NewDisposeScope();
        var path = TempFile();
        var meta = new Dictionary<string, string> { ["config"] = "{\"a\": [1, 2]}", ["ünïcode"] = "ja, 日本語", ["empty"] = "" };
        var original = EveryDType();
        new SafetensorsFile(original.Select(e => SafetensorsTensor.FromTensor(e.Name, e.Value)).ToList(), meta).Write(path);

        var read = SafetensorsFile.Read(path);
        Assert.Equal(meta, read.Metadata);
        Assert.Equal(original.Select(e => e.Name), read.Tensors.Select(t => t.Name));
        foreach (var ((name, value), entry) in original.Zip(read.Tensors))
        {
            var back = entry.ToTensor();
            Assert.Equal(value.dtype, back.dtype);
            Assert.Equal(value.shape, back.shape);
            if (value.numel() > 0) Assert.True(value.contiguous().bytes.SequenceEqual(back.bytes), name);
        }
        Assert.Equal("F32 F64 F16 BF16 I64 I32 I16 I8 U8 BOOL I64 F32",
            string.Join(" ", read.Tensors.Select(t => t.DType)));

        // Read → write reproduces the file byte for byte.
        var again = TempFile();
        read.Write(again);
        Assert.Equal(File.ReadAllBytes(path), File.ReadAllBytes(again));
    }

    [Fact]
    public void Layout_is_the_documented_one_little_endian_length_padded_json_then_data()
    {
        var bytes = new SafetensorsFile([new SafetensorsTensor("a", SafetensorsDType.F32, [2], [0, 0, 128, 63, 0, 0, 0, 64])],
            new Dictionary<string, string> { ["k"] = "v" }).ToBytes();
        long n = BinaryPrimitives.ReadInt64LittleEndian(bytes);
        Assert.Equal(0, n % 8);
        var header = Encoding.UTF8.GetString(bytes, 8, (int)n);
        Assert.Equal("{\"__metadata__\":{\"k\":\"v\"},\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]}}", header.TrimEnd(' '));
        Assert.Equal(new byte[] { 0, 0, 128, 63, 0, 0, 0, 64 }, bytes[(8 + (int)n)..]); // 1.0f, 2.0f
    }

    [Fact]
    public void Reads_a_file_whose_entries_are_not_in_offset_order()
    {
        // Writers may list entries in any order (Python's sorts by dtype, then name); offsets decide the layout.
        var header = "{\"b\":{\"dtype\":\"U8\",\"shape\":[1],\"data_offsets\":[2,3]},\"a\":{\"dtype\":\"I16\",\"shape\":[],\"data_offsets\":[0,2]}}";
        var file = SafetensorsFile.Parse(Build(header, [5, 0, 9]), "x.safetensors");
        Assert.Equal(["b", "a"], file.Tensors.Select(t => t.Name));
        Assert.Equal(new byte[] { 9 }, file.Tensors[0].Data);
        Assert.Equal(new byte[] { 5, 0 }, file.Tensors[1].Data);
    }

    private static byte[] Build(string header, byte[] data, long? declaredLength = null)
    {
        var h = Encoding.UTF8.GetBytes(header);
        var bytes = new byte[8 + h.Length + data.Length];
        BinaryPrimitives.WriteInt64LittleEndian(bytes, declaredLength ?? h.Length);
        h.CopyTo(bytes, 8);
        data.CopyTo(bytes, 8 + h.Length);
        return bytes;
    }

    [Theory]
    [InlineData("{\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]}}", 4, "lie outside")]
    [InlineData("{\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]},\"b\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[4,8]}}", 8, "overlap")]
    [InlineData("{\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[4,8]}}", 8, "gap")]
    [InlineData("{\"a\":{\"dtype\":\"F32\",\"shape\":[3],\"data_offsets\":[0,8]}}", 8, "needs 12")]
    [InlineData("{\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]}}", 8, "4 bytes after the last tensor")]
    [InlineData("{\"a\":{\"dtype\":\"F33\",\"shape\":[1],\"data_offsets\":[0,4]}}", 4, "unknown dtype 'F33'")]
    [InlineData("{\"a\":{\"dtype\":\"F32\",\"shape\":[-1],\"data_offsets\":[0,4]}}", 4, "invalid shape")]
    [InlineData("{\"a\":{\"dtype\":\"F32\",\"shape\":[1]}}", 4, "no data_offsets")]
    [InlineData("{\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[4,0]}}", 4, "end before they begin")]
    [InlineData("{\"__metadata__\":{\"k\":1}}", 0, "metadata 'k' is not a string")]
    [InlineData("[1,2]", 0, "not a JSON object")]
    [InlineData("{\"a\":", 0, "header JSON")]
    public void Invalid_headers_are_rejected_naming_the_file(string header, int dataBytes, string why)
    {
        var e = Assert.Throws<InputDataException>(() => SafetensorsFile.Parse(Build(header, new byte[dataBytes]), "bad.safetensors"));
        Assert.StartsWith("bad.safetensors: not a valid safetensors file: ", e.Message);
        Assert.Contains(why, e.Message);
    }

    [Fact]
    public void Truncated_files_are_rejected_naming_the_file()
    {
        var path = TempFile("cut.safetensors");
        File.WriteAllBytes(path, [1, 2, 3]);
        Assert.Contains("shorter than the 8-byte header length", Assert.Throws<InputDataException>(() => SafetensorsFile.Read(path)).Message);
        File.WriteAllBytes(path, Build("{}", [], declaredLength: 4096));
        var e = Assert.Throws<InputDataException>(() => SafetensorsFile.Read(path));
        Assert.StartsWith($"{path}: not a valid safetensors file: header length 4096 runs past the end", e.Message);
        var missing = Path.Combine(TestPaths.NewTempDir("st"), "nope.safetensors");
        Assert.StartsWith($"{missing}: cannot read weights file", Assert.Throws<InputDataException>(() => SafetensorsFile.Read(missing)).Message);
    }

    [Fact]
    public void Unsigned_wide_dtypes_are_read_but_cannot_become_TorchSharp_tensors()
    {
        var file = SafetensorsFile.Parse(Build("{\"u\":{\"dtype\":\"U32\",\"shape\":[1],\"data_offsets\":[0,4]}}", [1, 0, 0, 0]), "u.safetensors");
        var e = Assert.Throws<InputDataException>(() => file.Tensors[0].ToTensor("u.safetensors"));
        Assert.Equal("u.safetensors: tensor 'u' has dtype U32, which TorchSharp cannot represent", e.Message);
    }
}
