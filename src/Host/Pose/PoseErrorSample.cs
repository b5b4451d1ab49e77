namespace NanoDet.Host.Pose;

/// <summary>Pose error of one matched plate.</summary>
/// <param name="TrueDistance">Ground-truth camera → plate-centre distance, metres.</param>
/// <param name="DistanceError">|estimated − true distance|, metres.</param>
/// <param name="RotationError">Angle of R_trueᵀ·R_estimated, degrees.</param>
/// <param name="YawError">|estimated − true yaw| (wrapped), degrees.</param>
internal sealed record PoseErrorSample(double TrueDistance, double DistanceError, double RotationError, double YawError)
{
    /// <summary>Distance error in % of the true distance.</summary>
    public double DistancePercent => 100 * DistanceError / TrueDistance;
}
