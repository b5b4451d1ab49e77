using System.Runtime.CompilerServices;

namespace NanoDet.Compute.Fused;

/// <summary>
/// A value of a <see cref="FusedProgram"/>: a contiguous float32 array shaped <see cref="Shape"/> that starts
/// <see cref="Offset"/> floats into storage <see cref="Storage"/>. Reshapes and leading slices are values that share
/// their source's storage (no copy).
/// </summary>
public sealed record FusedValue(int Storage, long Offset, long[] Shape)
{
    /// <summary>Number of floats.</summary>
    public long Count => Shape.Aggregate(1L, (a, v) => a * v);

    public override string ToString() => $"s{Storage}+{Offset} [{string.Join(", ", Shape)}]";
}

/// <summary>The memory an operation runs on: a pointer per storage and the shared scratch.</summary>
public sealed unsafe class FusedMemory
{
    internal FusedMemory(float*[] storages, float* scratch)
    {
        _storages = storages;
        Scratch = scratch;
    }

    private readonly float*[] _storages;

    /// <summary>Scratch shared by all operations (at least every operation's <see cref="FusedOp.ScratchFloats"/> for the program's thread count).</summary>
    public float* Scratch { get; }

    /// <summary>The first float of <paramref name="value"/>.</summary>
    public float* Of(FusedValue value) => _storages[value.Storage] + value.Offset;
}

/// <summary>One step of a <see cref="FusedProgram"/>: reads its inputs, writes its whole output.</summary>
public abstract class FusedOp
{
    protected FusedOp(FusedValue output, params FusedValue[] inputs) => (Output, Inputs) = (output, inputs);

    /// <summary>The values read.</summary>
    public FusedValue[] Inputs { get; }

    /// <summary>The value written (every float of it).</summary>
    public FusedValue Output { get; internal set; }

    /// <summary>Floats of shared scratch the operation needs while it runs split into <paramref name="parts"/> parts.</summary>
    public virtual long ScratchFloats(int parts) => 0;

    /// <summary>
    /// Phases of a split run (0: the operation does not split). Every part of a phase finishes before any part of the
    /// next one starts.
    /// </summary>
    public virtual int Phases => 0;

    /// <summary>Part <paramref name="part"/> of <paramref name="parts"/> of phase <paramref name="phase"/> (operations with <see cref="Phases"/> above 0).</summary>
    public virtual void RunPart(FusedMemory memory, int phase, int part, int parts) =>
        throw new NotSupportedException($"{Describe()} does not split");

    /// <summary>Short description for logs and tests.</summary>
    public abstract string Describe();

    public abstract void Run(FusedMemory memory);
}

/// <summary>An operation that can apply an activation to its outputs as it stores them.</summary>
public interface IFusableEpilogue
{
    Epilogue Epilogue { get; set; }
}

/// <summary>
/// A straight-line program of fused CPU operations (<see cref="FusedOps"/>) over float32 arrays: the inference
/// forward of a network for one input shape (any batch; the torch backend builds it for batch 1) without libtorch in
/// the loop. Storages are assigned to a few reused native buffers
/// by lifetime (a storage's buffer is free once its last reader has run), so the working set stays small; every buffer
/// has <see cref="FusedKernels.Slack"/> floats beyond its end. Not thread-safe: one <see cref="Run"/> at a time.
/// </summary>
public sealed unsafe class FusedProgram : IDisposable
{
    private readonly List<FusedOp> _ops;
    private readonly FusedValue _input;
    private readonly FusedValue _output;
    private readonly List<NativeFloats> _buffers = [];
    private readonly FusedMemory _memory;
    private readonly NativeFloats _scratch;
    private bool _disposed;
    private FusedWorkers? _workers;

    /// <param name="storageFloats">Size in floats of every storage, by id.</param>
    /// <param name="ops">The operations in order.</param>
    /// <param name="input">The value the caller's input is copied into.</param>
    /// <param name="output">The value copied out as the result.</param>
    /// <param name="threads">Threads that share the operations that split (1: the caller's only).</param>
    public FusedProgram(IReadOnlyList<long> storageFloats, IEnumerable<FusedOp> ops, FusedValue input, FusedValue output, int threads = 1)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(threads, 1);
        if (!FusedKernels.IsSupported) throw new NotSupportedException("the fused CPU kernels need AVX2 and FMA");
        _input = input;
        (_ops, _output) = FuseActivations(ops.ToList(), output);
        var assignment = AssignBuffers(storageFloats);
        var pointers = new float*[storageFloats.Count];
        for (int s = 0; s < pointers.Length; s++)
            if (assignment[s] >= 0) pointers[s] = _buffers[assignment[s]].Data;
        long scratch = _ops.Count == 0 ? 0 : _ops.Max(o => o.ScratchFloats(threads));
        Threads = threads;
        _scratch = new NativeFloats(scratch);
        _memory = new FusedMemory(pointers, _scratch.Data);
    }

    /// <summary>The operations, after activations were fused into the operations that produce their inputs.</summary>
    public IReadOnlyList<FusedOp> Ops => _ops;

    /// <summary>Threads that share the operations that split.</summary>
    public int Threads { get; }

    /// <summary>Native buffers the storages share.</summary>
    public int BufferCount => _buffers.Count;

    /// <summary>Bytes of native memory held (buffers and scratch).</summary>
    public long Bytes => _buffers.Sum(b => b.Bytes) + _scratch.Bytes;

    /// <summary>Floats in the input.</summary>
    public long InputCount => _input.Count;

    /// <summary>The output's shape.</summary>
    public long[] OutputShape => _output.Shape;

    /// <summary>Floats in the output.</summary>
    public long OutputCount => _output.Count;

    /// <summary>Runs the program: <paramref name="input"/> (the input's floats) → <paramref name="output"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void Run(ReadOnlySpan<float> input, Span<float> output)
    {
        if (input.Length != _input.Count) throw new ArgumentException($"input has {input.Length} floats, the program takes {_input.Count}");
        if (output.Length != _output.Count) throw new ArgumentException($"output has {output.Length} floats, the program gives {_output.Count}");
        input.CopyTo(new Span<float>(_memory.Of(_input), input.Length));
        if (Threads > 1)
        {
            _workers ??= new FusedWorkers(Threads - 1);
            _workers.Wake();
            try
            {
                foreach (var op in _ops)
                {
                    if (op.Phases > 0) _workers.Run(op, _memory);
                    else op.Run(_memory);
                }
            }
            finally
            {
                _workers.Rest();
            }
        }
        else
        {
            foreach (var op in _ops) op.Run(_memory);
        }
        new ReadOnlySpan<float>(_memory.Of(_output), output.Length).CopyTo(output);
    }

    /// <summary>Runs the program <paramref name="runs"/> times and returns each operation's median time in milliseconds (diagnostics).</summary>
    public double[] ProfileOps(ReadOnlySpan<float> input, int runs)
    {
        var times = new double[_ops.Count][];
        for (int i = 0; i < times.Length; i++) times[i] = new double[runs];
        input.CopyTo(new Span<float>(_memory.Of(_input), input.Length));
        for (int r = 0; r < runs; r++)
            for (int i = 0; i < _ops.Count; i++)
            {
                long start = System.Diagnostics.Stopwatch.GetTimestamp();
                _ops[i].Run(_memory);
                times[i][r] = System.Diagnostics.Stopwatch.GetElapsedTime(start).TotalMilliseconds;
            }
        return times.Select(t => t.Order().ElementAt(runs / 2)).ToArray();
    }

    /// <summary>
    /// Removes each activation whose input is produced by an operation that can apply it on store and read by nothing
    /// else, handing the activation to that producer; returns the kept operations and the output (moved to the
    /// producer's storage when the output was such an activation).
    /// </summary>
    private static (List<FusedOp> Ops, FusedValue Output) FuseActivations(List<FusedOp> ops, FusedValue output)
    {
        var readers = new Dictionary<int, int>();
        foreach (var op in ops)
            foreach (var v in op.Inputs) readers[v.Storage] = readers.GetValueOrDefault(v.Storage) + 1;
        var producer = new Dictionary<int, FusedOp>();
        var renamed = new Dictionary<int, FusedValue>();
        var kept = new List<FusedOp>();
        foreach (var op in ops)
        {
            for (int i = 0; i < op.Inputs.Length; i++)
                if (renamed.TryGetValue(op.Inputs[i].Storage, out var to)) op.Inputs[i] = Rebase(op.Inputs[i], to);
            if (op is FusedOps.Activation { Fusable: true } act
                && producer.TryGetValue(act.Inputs[0].Storage, out var source) && source is IFusableEpilogue fusable
                && fusable.Epilogue.Kind == FusedActivation.None && readers[act.Inputs[0].Storage] == 1
                && act.Inputs[0].Storage != output.Storage && act.Inputs[0] == source.Output)
            {
                fusable.Epilogue = act.Epilogue;
                renamed[act.Output.Storage] = source.Output;
                continue;
            }
            producer[op.Output.Storage] = op;
            kept.Add(op);
        }
        return (kept, renamed.TryGetValue(output.Storage, out var moved) ? Rebase(output, moved) : output);
    }

    /// <summary>A view of storage <paramref name="to"/>'s value with <paramref name="view"/>'s offset and shape.</summary>
    private static FusedValue Rebase(FusedValue view, FusedValue to) => new(to.Storage, to.Offset + view.Offset, view.Shape);

    /// <summary>Gives every live storage a buffer, reusing buffers whose storages have no readers left.</summary>
    private int[] AssignBuffers(IReadOnlyList<long> storageFloats)
    {
        int n = storageFloats.Count;
        var first = Enumerable.Repeat(int.MaxValue, n).ToArray();
        var last = Enumerable.Repeat(-1, n).ToArray();
        first[_input.Storage] = -1;
        for (int i = 0; i < _ops.Count; i++)
        {
            var op = _ops[i];
            first[op.Output.Storage] = Math.Min(first[op.Output.Storage], i);
            last[op.Output.Storage] = Math.Max(last[op.Output.Storage], i);
            foreach (var v in op.Inputs) last[v.Storage] = Math.Max(last[v.Storage], i);
        }
        last[_output.Storage] = int.MaxValue;
        var assignment = Enumerable.Repeat(-1, n).ToArray();
        var free = new List<int>();
        var byStart = Enumerable.Range(0, n).Where(s => first[s] != int.MaxValue).OrderBy(s => first[s]).ToList();
        var endingAt = byStart.GroupBy(s => last[s]).ToDictionary(g => g.Key, g => g.ToList());
        int next = 0;
        for (int step = -1; step < _ops.Count; step++)
        {
            for (; next < byStart.Count && first[byStart[next]] == step; next++)
            {
                int s = byStart[next];
                long need = storageFloats[s];
                int pick = free.Where(b => _buffers[b].Length >= need).OrderBy(b => _buffers[b].Length).DefaultIfEmpty(-1).First();
                if (pick < 0)
                {
                    pick = _buffers.Count;
                    _buffers.Add(new NativeFloats(need));
                }
                else
                {
                    free.Remove(pick);
                }
                assignment[s] = pick;
            }
            if (endingAt.TryGetValue(step, out var ending))
                foreach (var s in ending) free.Add(assignment[s]);
        }
        return assignment;
    }

    public void Dispose()
    {
        if (_disposed) return;
        _disposed = true;
        _workers?.Dispose();
        foreach (var b in _buffers) b.Dispose();
        _buffers.Clear();
        _scratch.Dispose();
        foreach (var op in _ops) (op as IDisposable)?.Dispose();
    }
}
