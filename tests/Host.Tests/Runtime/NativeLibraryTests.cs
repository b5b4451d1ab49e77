using OpenCvSharp;
using TorchSharp;
using static TorchSharp.torch;

namespace NanoDet.Host.Tests.Runtime;

/// <summary>The two native stacks load on this machine and run real work.</summary>
public class NativeLibraryTests
{
    [Fact]
    public void Libtorch_loads_and_runs_a_conv2d()
    {
        using var scope = NewDisposeScope();
        var conv = nn.Conv2d(3, 2, 3, bias: false);
        using (no_grad()) conv.weight!.fill_(1f);
        var y = conv.forward(ones(1, 3, 5, 5));
        Assert.Equal(new long[] { 1, 2, 3, 3 }, y.shape);
        // Every output sums a 3×3×3 window of ones.
        Assert.Equal(27f, y[0, 1, 2, 2].item<float>());
    }

    [Fact]
    public void OpenCv_loads_and_round_trips_a_png()
    {
        using var m = new Mat(32, 48, MatType.CV_8UC3, new OpenCvSharp.Scalar(10, 20, 30));
        Cv2.Circle(m, new Point(24, 16), 8, new OpenCvSharp.Scalar(255, 255, 255), -1);
        Cv2.ImEncode(".png", m, out var png);
        using var back = Cv2.ImDecode(png, ImreadModes.Color);
        Assert.Equal(48, back.Width);
        Assert.Equal(new Vec3b(255, 255, 255), back.At<Vec3b>(16, 24));
        Assert.Equal(new Vec3b(10, 20, 30), back.At<Vec3b>(0, 0));
    }
}
