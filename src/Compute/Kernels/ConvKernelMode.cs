namespace NanoDet.Compute.Kernels;

/// <summary>How convolutions are computed (config <c>device:conv_kernels</c>, environment <c>NANODET_CONV_KERNELS</c>).</summary>
public enum ConvKernelMode
{
    /// <summary>Per call shape, the fastest implementation that matches float64 (the default).</summary>
    Auto,

    /// <summary>libtorch's own convolution for every call (oneDNN at the probed level): the behaviour before selection.</summary>
    Libtorch,
}
