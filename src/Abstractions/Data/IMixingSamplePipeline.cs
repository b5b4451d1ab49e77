using NanoDet.Inference.Errors;
using NanoDet.Inference.Geometry;
using OpenCvSharp;

namespace NanoDet.Abstractions.Data;

/// <summary>
/// A pipeline whose training samples may combine several images of the dataset (mosaic, mixup). The batch loader
/// and <c>data preview</c> ask for this contract, so an augmented sample looks the same in both, whatever pipeline
/// plugin is configured.
/// </summary>
public interface IMixingSamplePipeline : ISamplePipeline
{
    /// <summary>
    /// A training sample that may be a mosaic or have a second image mixed in, its partners read from
    /// <paramref name="dataset"/> and every draw taken from <paramref name="rng"/>.
    /// </summary>
    /// <param name="bgr">BGR 8-bit image of <paramref name="record"/> (not modified, not disposed).</param>
    /// <param name="record">Ground truth in original pixels.</param>
    /// <param name="rng">Random source of the sample.</param>
    /// <param name="dataset">The dataset being loaded; partners are drawn from its images.</param>
    /// <param name="epoch">0-based epoch of the sample.</param>
    /// <param name="totalEpochs">Epochs of the run; 0 = unknown.</param>
    PreparedSample Prepare(Mat bgr, ImageRecord record, Random rng, IDetectionDataset dataset, int epoch, int totalEpochs);
}
