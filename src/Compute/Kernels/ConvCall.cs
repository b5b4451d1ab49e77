namespace NanoDet.Compute.Kernels;

/// <summary>
/// One convolution as the selector sees it: its geometry and the input it meets ([Batch, in, Height, Width], the
/// memory layout), whether gradients flow (training) or not (inference), and whether the input needs one (not for
/// the first layer, whose input is the image). Choices are made and cached per call.
/// </summary>
public readonly record struct ConvCall(ConvGeometry Geometry, long Batch, long Height, long Width, bool ChannelsLast, bool Training,
    bool InputGrad = true)
{
    /// <summary>Stable text key used in the cache and in resume state.</summary>
    public string Key
    {
        get
        {
            var g = Geometry;
            return $"{g.InChannels},{g.OutChannels},{g.KernelH}x{g.KernelW},s{g.StrideH}x{g.StrideW},p{g.PadH}x{g.PadW}," +
                   $"d{g.DilationH}x{g.DilationW},g{g.Groups},{(g.HasBias ? "b" : "nb")}|{Batch}x{Height}x{Width}|" +
                   $"{(ChannelsLast ? "nhwc" : "nchw")}|{(Training ? InputGrad ? "train" : "train-w" : "infer")}";
        }
    }

    public override string ToString() =>
        $"{Geometry} on {Batch}×{Height}×{Width}{(ChannelsLast ? " nhwc" : "")} {(Training ? InputGrad ? "train" : "train (no input grad)" : "infer")}";
}
