namespace NanoDet.Heads.Losses;

/// <summary>What the per-side distance losses (DFL and the corner alternatives) are divided by, with W = max(Σ w_i, 1).</summary>
public enum DflNormalizer
{
    /// <summary>4·W for every side, corners included: the four-point repos' choice (docs/reference.md#losses, parity).</summary>
    BoxSides,

    /// <summary>(4 + 2·points)·W: a true per-side mean (12·W for the four-point head).</summary>
    AllSides,
}
