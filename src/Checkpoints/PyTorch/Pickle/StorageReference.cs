using static TorchSharp.torch;

namespace NanoDet.Checkpoints.PyTorch.Pickle;

/// <summary>
/// A storage named by a persistent id <c>('storage', type, key, location, numel)</c> and checked against the
/// archive: the record exists and holds at least <see cref="ByteLength"/> bytes. No data is read yet.
/// </summary>
/// <param name="Key">The storage key (record <c>data/&lt;key&gt;</c>).</param>
/// <param name="Dtype">Element type of the storage (Byte for an untyped storage).</param>
/// <param name="ByteLength">Bytes the storage declares (numel × element size).</param>
/// <param name="Location">Where it lived when saved (<c>cpu</c>, <c>cuda:0</c>): informational, data is loaded to the CPU.</param>
/// <param name="RecordName">Full name of the zip record holding the bytes.</param>
internal sealed record StorageReference(string Key, ScalarType Dtype, long ByteLength, string Location, string RecordName);
