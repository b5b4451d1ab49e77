namespace NanoDet.Evaluators.Tests;

internal static class TempDir
{
    public static string Create(string prefix)
    {
        var d = Path.Combine(Path.GetTempPath(), "nanodet-tests", $"{prefix}-{Guid.NewGuid():N}");
        Directory.CreateDirectory(d);
        return d;
    }
}
