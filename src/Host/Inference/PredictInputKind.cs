namespace NanoDet.Host.Inference;

/// <summary>What <c>predict --input</c> points at.</summary>
public enum PredictInputKind
{
    Image,
    Folder,
    Video,
}
