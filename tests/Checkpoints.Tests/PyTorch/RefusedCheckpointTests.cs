using NanoDet.Abstractions.Plugins;
using NanoDet.Checkpoints.PyTorch;
using NanoDet.Inference.Errors;

namespace NanoDet.Checkpoints.Tests.PyTorch;

/// <summary>
/// Files that must not load: legacy formats, TorchScript, damaged archives, and malicious pickles whose payloads
/// make_fixtures.py proved live against Python (each would create a marker file). The reader must refuse each with
/// one clear line naming the file and the cause, and no payload may run.
/// </summary>
public class RefusedCheckpointTests
{
    public static TheoryData<string> Refused => PyTorchFixtures.RejectedNames();

    [Theory]
    [MemberData(nameof(Refused))]
    public void Fixture_is_refused_with_a_clear_one_line_error_and_nothing_runs(string name)
    {
        var expected = PyTorchFixtures.Rejected(name);
        var marker = expected.GetProperty("marker").GetString();
        if (marker is not null && File.Exists(marker)) File.Delete(marker);
        var path = PyTorchFixtures.PathOf(name);

        var e = Assert.Throws<InputDataException>(() => CheckpointReader.Read(path));

        Assert.StartsWith(path + ": ", e.Message);
        Assert.DoesNotContain('\n', e.Message);
        foreach (var fragment in expected.GetProperty("contains").EnumerateArray())
            Assert.Contains(fragment.GetString()!, e.Message);
        if (marker is not null)
            Assert.False(File.Exists(marker), $"the payload of {name} ran: {marker} exists");
    }

    [Theory]
    [MemberData(nameof(Refused))]
    public void Object_graph_reader_refuses_them_too(string name)
    {
        var path = PyTorchFixtures.PathOf(name);
        Assert.Throws<InputDataException>(() => CheckpointReader.ReadObjectGraph(path));
    }

    [Fact]
    public void Legacy_format_error_gives_a_runnable_resave_command_for_that_file()
    {
        var path = PyTorchFixtures.PathOf("legacy_format.pth");
        var e = Assert.Throws<InputDataException>(() => CheckpointReader.Read(path));
        var resaved = Path.Combine(Path.GetDirectoryName(path)!, "legacy_format.resaved.pth");
        Assert.Contains($"torch.save(torch.load('{path}', map_location='cpu', weights_only=True), '{resaved}')", e.Message);
    }

    [Fact]
    public void Whole_module_pickle_suggests_saving_the_state_dict()
    {
        var e = Assert.Throws<InputDataException>(() => CheckpointReader.Read(PyTorchFixtures.PathOf("whole_module.pth")));
        Assert.Contains("torch.save(model.state_dict(), 'weights.pth')", e.Message);
    }

    [Fact]
    public void Missing_file_and_empty_file_are_reported_by_path()
    {
        var dir = TestPaths.NewTempDir("pytorch-missing");
        var missing = Path.Combine(dir, "nope.pth");
        Assert.Equal($"{missing}: checkpoint file not found",
            Assert.Throws<InputDataException>(() => CheckpointReader.Read(missing)).Message);
        var empty = Path.Combine(dir, "empty.pth");
        File.WriteAllBytes(empty, []);
        Assert.Equal($"{empty}: the file is empty",
            Assert.Throws<InputDataException>(() => CheckpointReader.Read(empty)).Message);
    }

    [Fact]
    public void Storage_record_shorter_than_declared_is_refused()
    {
        // Rewrite dtypes.pth with the float32 storage (record data/0, 6 floats = 24 bytes) cut to 8 bytes.
        var dir = TestPaths.NewTempDir("pytorch-short");
        var path = Path.Combine(dir, "short.pth");
        using (var src = System.IO.Compression.ZipFile.OpenRead(PyTorchFixtures.PathOf("dtypes.pth")))
        using (var dst = System.IO.Compression.ZipFile.Open(path, System.IO.Compression.ZipArchiveMode.Create))
        {
            foreach (var entry in src.Entries)
            {
                using var input = entry.Open();
                using var buffer = new MemoryStream();
                input.CopyTo(buffer);
                var bytes = buffer.ToArray();
                if (entry.FullName.EndsWith("/data/0", StringComparison.Ordinal)) bytes = bytes[..8];
                using var output = dst.CreateEntry(entry.FullName, System.IO.Compression.CompressionLevel.NoCompression).Open();
                output.Write(bytes);
            }
        }
        var e = Assert.Throws<InputDataException>(() => CheckpointReader.Read(path));
        Assert.Contains("holds 8 bytes, fewer than the 24 its storage declares", e.Message);
    }
}
