namespace NanoDet.Host.Inference;

/// <summary>What <c>predict --input</c> points at.</summary>
internal enum PredictInputKind
{
    Image,
    Folder,
    Video,
}
