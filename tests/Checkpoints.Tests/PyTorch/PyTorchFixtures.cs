using System.Text.Json;

namespace NanoDet.Checkpoints.Tests.PyTorch;

/// <summary>
/// The checkpoints written once by tests/Checkpoints.Tests/Fixtures/pytorch/make_fixtures.py with real PyTorch 1.13,
/// and the expectations that script recorded (expected.json).
/// </summary>
internal static class PyTorchFixtures
{
    private static readonly Lazy<JsonDocument> Expected = new(() =>
        JsonDocument.Parse(File.ReadAllText(Path.Combine(Directory, "expected.json"))));

    public static string Directory => Path.Combine(TestPaths.BinDir, "Fixtures", "pytorch");

    public static string PathOf(string name) => Path.Combine(Directory, name);

    public static JsonElement Loadable(string name) => Expected.Value.RootElement.GetProperty("loadable").GetProperty(name);

    public static JsonElement Rejected(string name) => Expected.Value.RootElement.GetProperty("rejected").GetProperty(name);

    public static TheoryData<string> LoadableNames() => Names("loadable");

    public static TheoryData<string> RejectedNames() => Names("rejected");

    private static TheoryData<string> Names(string section)
    {
        var data = new TheoryData<string>();
        foreach (var p in Expected.Value.RootElement.GetProperty(section).EnumerateObject()) data.Add(p.Name);
        return data;
    }
}
