using OpenCvSharp;

namespace NanoDet.Datasets.Synthetic;

/// <summary>
/// Gaussian-like blur whose cost does not grow with sigma: a true Gaussian for small sigma, three box-filter
/// passes (a close approximation, central limit) for large ones, which keeps wide light glows cheap.
/// </summary>
public static class SoftBlur
{
    public static void Apply(Mat src, Mat dst, double sigma)
    {
        if (sigma < 2.5)
        {
            Cv2.GaussianBlur(src, dst, new Size(0, 0), sigma);
            return;
        }
        // three boxes of width w have variance 3·(w² − 1)/12 = σ²
        int w = (int)Math.Round(Math.Sqrt(4 * sigma * sigma + 1));
        if (w % 2 == 0) w++;
        var k = new Size(w, w);
        Cv2.Blur(src, dst, k);
        Cv2.Blur(dst, dst, k);
        Cv2.Blur(dst, dst, k);
    }
}
