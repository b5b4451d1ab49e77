using NanoDet.Abstractions.Data;
using NanoDet.Inference.Errors;
using NanoDet.Inference.Geometry;

namespace NanoDet.Abstractions.Tests.Data;

public class InputPaddingTests
{
    [Theory]
    [InlineData(0, 0)]
    [InlineData(1, 32)]
    [InlineData(320, 320)]
    [InlineData(321, 352)]
    [InlineData(416, 416)]
    public void Sides_round_up_to_the_multiple(int side, int padded) => Assert.Equal(padded, InputPadding.RoundUp(side));
}
