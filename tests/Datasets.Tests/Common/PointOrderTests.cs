using NanoDet.Abstractions.Plugins;
using NanoDet.Datasets.Common;
using NanoDet.Inference.Errors;

namespace NanoDet.Datasets.Tests;

public class PointOrderTests
{
    private static readonly float[] File = [1, 2, 3, 4, 5, 6, 7, 8];

    [Fact]
    public void Names_and_indices_describe_the_same_orders()
    {
        Assert.True(PointOrder.Parse("tl_bl_br_tr").IsCanonical);
        Assert.Equal("tl_tr_br_bl", PointOrder.Parse("0,3,2,1").Name);
        Assert.Equal("tl_tr_br_bl", PointOrder.Parse("TL-TR-BR-BL").Name);
        // file TL, TR, BR, BL: the file's 2nd point is TR, its 4th is BL
        var q = PointOrder.Clockwise.ToInternal(File);
        Assert.Equal(TestFiles.Quad(1, 2, 7, 8, 5, 6, 3, 4), q);
        Assert.Equal(File, PointOrder.Clockwise.ToFile(q));
        var any = PointOrder.Parse("br_tr_tl_bl");
        Assert.Equal(File, any.ToFile(any.ToInternal(File)));
    }

    [Fact]
    public void Sections_accept_a_scalar_or_a_list()
    {
        Assert.Equal("tl_tr_br_bl", PointOrder.FromSection(TestFiles.Section("d", ("point_order", "tl_tr_br_bl"))).Name);
        var list = TestFiles.Section("d", ("point_order:0", "0"), ("point_order:1", "3"), ("point_order:2", "2"), ("point_order:3", "1"));
        Assert.Equal("tl_tr_br_bl", PointOrder.FromSection(list).Name);
        Assert.True(PointOrder.FromSection(TestFiles.Section("d", ("name", "x"))).IsCanonical);
    }

    [Theory]
    [InlineData("tl_tl_br_bl")]
    [InlineData("0,1,2")]
    [InlineData("0,1,2,4")]
    [InlineData("top_left")]
    public void Invalid_orders_name_the_key(string text)
    {
        var e = Assert.Throws<ConfigurationException>(() => PointOrder.FromSection(TestFiles.Section("data:train", ("point_order", text))));
        Assert.StartsWith("data:train:point_order: ", e.Message);
    }
}
