namespace NanoDet.Host.Tests.Model;

/// <summary>The reference state_dict tables (measured on the reference code, committed in Fixtures; docs/reference.md#weight-names-and-checkpoint-loading): key → (shape, dtype).</summary>
internal static class ReferenceTable
{
    public static List<(string Key, long[] Shape, string DType)> Read(string fileName)
    {
        var path = Path.Combine(TestPaths.BinDir, "Fixtures", fileName);
        return File.ReadLines(path).Skip(1).Where(l => l.Length > 0).Select(l =>
        {
            var f = l.Split('\t');
            var inner = f[1].Trim('[', ']');
            var shape = inner.Length == 0 ? [] : inner.Split(',').Select(s => long.Parse(s.Trim(), System.Globalization.CultureInfo.InvariantCulture)).ToArray();
            return (f[0], shape, f[2]);
        }).ToList();
    }
}
