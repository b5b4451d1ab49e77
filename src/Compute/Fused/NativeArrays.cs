using System.Runtime.InteropServices;

namespace NanoDet.Compute.Fused;

/// <summary>Float32 data in aligned native memory (weights of a fused operation), with <see cref="FusedKernels.Slack"/> floats after it.</summary>
public sealed unsafe class NativeFloats : IDisposable
{
    /// <summary><paramref name="count"/> zeros, 64-byte aligned.</summary>
    public NativeFloats(long count)
    {
        Length = count;
        Bytes = (count + FusedKernels.Slack) * sizeof(float);
        Data = (float*)NativeMemory.AlignedAlloc((nuint)Bytes, 64);
        NativeMemory.Clear(Data, (nuint)Bytes);
    }

    /// <summary>A copy of <paramref name="values"/>.</summary>
    public NativeFloats(ReadOnlySpan<float> values) : this(values.Length) => values.CopyTo(new Span<float>(Data, values.Length));

    public float* Data { get; private set; }

    /// <summary>Floats held (the slack not counted).</summary>
    public long Length { get; }

    /// <summary>Bytes allocated, slack included.</summary>
    public long Bytes { get; }

    public void Dispose()
    {
        if (Data == null) return;
        NativeMemory.AlignedFree(Data);
        Data = null;
    }
}

/// <summary>Int32 data in native memory (tap offsets of a fused operation).</summary>
public sealed unsafe class NativeInts : IDisposable
{
    public NativeInts(ReadOnlySpan<int> values)
    {
        Data = (int*)NativeMemory.AlignedAlloc((nuint)(Math.Max(1, values.Length) * sizeof(int)), 64);
        values.CopyTo(new Span<int>(Data, values.Length));
    }

    public int* Data { get; private set; }

    public void Dispose()
    {
        if (Data == null) return;
        NativeMemory.AlignedFree(Data);
        Data = null;
    }
}
