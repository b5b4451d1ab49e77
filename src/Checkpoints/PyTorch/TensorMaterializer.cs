using NanoDet.Abstractions.Plugins;
using NanoDet.Checkpoints.PyTorch.Pickle;
using NanoDet.Inference.Errors;
using TorchSharp;
using static TorchSharp.torch;

namespace NanoDet.Checkpoints.PyTorch;

/// <summary>
/// Turns <see cref="TensorReference"/>s into CPU tensors. Each storage record is read once (streamed in chunks,
/// byte-swapped for big-endian files) and released after its last tensor. Every result is a contiguous tensor that
/// owns its memory: views are copied out of their storage (a transposed or sliced tensor becomes a compact one, and
/// tensors that shared a storage in PyTorch no longer share memory here). A tensor that is exactly its whole storage
/// takes the storage over without a copy.
/// </summary>
internal sealed class TensorMaterializer
{
    private const int ChunkBytes = 1 << 22;

    private readonly TorchZipArchive _archive;

    public TensorMaterializer(TorchZipArchive archive) => _archive = archive;

    /// <summary>Materialises the references in order; tensors have the references' shapes and dtypes.</summary>
    public List<Tensor> MaterializeAll(IReadOnlyList<TensorReference> references)
    {
        var uses = references.GroupBy(r => (r.Storage.Key, r.Dtype)).ToDictionary(g => g.Key, g => g.Count());
        var remaining = new Dictionary<(string, ScalarType), int>(uses);
        var loaded = new Dictionary<(string, ScalarType), Tensor>();
        var results = new List<Tensor>(references.Count);
        try
        {
            foreach (var r in references)
            {
                var key = (r.Storage.Key, r.Dtype);
                if (!loaded.TryGetValue(key, out var storage))
                    loaded[key] = storage = LoadStorage(r.Storage, r.Dtype);
                var last = --remaining[key] == 0;
                results.Add(View(storage, r, takeOver: uses[key] == 1 && IsWhole(r, storage)));
                if (last)
                {
                    storage.Dispose();
                    loaded.Remove(key);
                }
            }
            return results;
        }
        catch
        {
            foreach (var t in results) t.Dispose();
            foreach (var t in loaded.Values) t.Dispose();
            throw;
        }
    }

    /// <summary>
    /// The storage as a 1-D tensor of <paramref name="dtype"/>: [ByteLength / element size].
    /// Bool storages are normalised so that any non-zero byte reads as true.
    /// </summary>
    private Tensor LoadStorage(StorageReference storage, ScalarType dtype)
    {
        var elementSize = TorchDtypes.ElementSize(dtype);
        var count = storage.ByteLength / elementSize;
        var readType = dtype == ScalarType.Bool ? ScalarType.Byte : dtype;
        var tensor = empty([count], readType);
        try
        {
            var swapUnit = _archive.BigEndian ? TorchDtypes.SwapUnit(dtype) : 1;
            var chunkElements = Math.Max(1, ChunkBytes / elementSize);
            var buffer = new byte[(int)Math.Min(count * elementSize, (long)chunkElements * elementSize)];
            using (var stream = _archive.OpenStorage(storage))
            {
                for (long start = 0; start < count; start += chunkElements)
                {
                    var n = (int)Math.Min(chunkElements, count - start);
                    var span = buffer.AsSpan(0, n * elementSize);
                    stream.ReadExactly(span);
                    if (swapUnit > 1)
                        for (var i = 0; i < span.Length; i += swapUnit) span.Slice(i, swapUnit).Reverse();
                    using var slice = tensor.narrow(0, start, n);
                    slice.bytes = span;
                }
            }
            if (dtype == ScalarType.Bool)
            {
                var flags = tensor.ne(0);
                tensor.Dispose();
                tensor = flags;
            }
            return tensor;
        }
        catch (Exception e) when (e is InvalidDataException or EndOfStreamException or IOException)
        {
            tensor.Dispose();
            throw new InputDataException($"{_archive.Path}: cannot read record {storage.RecordName}: {e.Message}", e);
        }
        catch
        {
            tensor.Dispose();
            throw;
        }
    }

    private static bool IsWhole(TensorReference r, Tensor storage) =>
        r.Offset == 0 && r.NumberOfElements == storage.shape[0] && IsContiguous(r.Shape, r.Stride);

    private static bool IsContiguous(long[] shape, long[] stride)
    {
        var expected = 1L;
        for (var i = shape.Length - 1; i >= 0; i--)
        {
            if (shape[i] != 1 && stride[i] != expected) return false;
            expected *= shape[i];
        }
        return true;
    }

    /// <summary>The referenced view as its own contiguous tensor [r.Shape].</summary>
    private static Tensor View(Tensor storage, TensorReference r, bool takeOver)
    {
        using var scope = NewDisposeScope();
        var view = storage.as_strided(r.Shape, r.Stride, r.Offset);
        var result = takeOver ? view : empty(r.Shape, view.dtype).copy_(view);
        if (r.Negated) result.neg_();
        if (r.Conjugated && result.is_complex()) result = result.conj().resolve_conj();
        return result.MoveToOuterDisposeScope();
    }
}
