using NanoDet.Datasets.Common;
using NanoDet.Datasets.Synthetic;

namespace NanoDet.Datasets.Tests;

/// <summary>The generator's plates cut by the frame edge (<c>border_fraction</c>).</summary>
public class SyntheticBorderPlateTests
{
    private static ArmorGeneratorSettings Settings(double fraction) =>
        ArmorGeneratorSettings.From(new SyntheticArmorOptions { Count = 40, Seed = 3, ImageSize = [200, 160], BorderFraction = fraction, ObjectsPerImage = [2, 3] }, "data:train");

    [Fact]
    public void Cut_plates_are_labelled_with_outside_corners_within_the_margin()
    {
        var s = Settings(1);
        int cut = 0, plates = 0;
        for (int i = 0; i < s.Count; i++)
        {
            var (image, objects) = SyntheticGenerator.RenderOne(s, i);
            image.Dispose();
            foreach (var a in objects)
            {
                plates++;
                var q = a.Points!.Value;
                bool outside = false;
                for (int k = 0; k < 4; k++)
                {
                    Assert.InRange(q[k].X, -0.05f * 200 - 1e-3f, 1.05f * 200 + 1e-3f);
                    Assert.InRange(q[k].Y, -0.05f * 160 - 1e-3f, 1.05f * 160 + 1e-3f);
                    outside |= q[k].X < 0 || q[k].X > 200 || q[k].Y < 0 || q[k].Y > 160;
                }
                cut += outside ? 1 : 0;
                // what a reader would accept: within the default border margin
                Assert.NotNull(ObjectValidator.Validate(new RawObject(a.Label, null, q), 200, 160, new ObjectRules(), out _, out _));
            }
        }
        Assert.True(cut > plates / 3, $"{cut} of {plates} plates cut by the edge");
    }

    [Fact]
    public void Without_the_option_nothing_changes()
    {
        Assert.DoesNotContain("border", Settings(0).Describe());
        Assert.Contains("border=0.2", Settings(0.2).Describe());
        var (image, objects) = SyntheticGenerator.RenderOne(Settings(0), 0);
        image.Dispose();
        Assert.All(objects, a => Assert.True(a.Points!.Value.Bounds().X1 >= 0));
    }
}
