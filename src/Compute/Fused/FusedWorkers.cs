using System.Runtime.CompilerServices;
using System.Runtime.ExceptionServices;

namespace NanoDet.Compute.Fused;

/// <summary>
/// Helper threads that run the other parts of a split <see cref="FusedOp"/> while the calling thread runs part 0. A
/// phase is handed over by bumping a generation counter the helpers spin on (the operations are tens of microseconds
/// long, too short for a thread-pool hand-off). Helpers spin only between <see cref="Wake"/> and <see cref="Rest"/>,
/// i.e. while a program runs, and sleep otherwise, so they take no core from anything else between forwards. Used by
/// one <see cref="FusedProgram"/> at a time.
/// </summary>
internal sealed class FusedWorkers : IDisposable
{
    private readonly Thread[] _threads;
    private readonly ManualResetEventSlim _awake = new(false);
    private FusedOp? _op;
    private FusedMemory? _memory;
    private int _phase;
    private int _generation;
    private int _remaining;
    private volatile bool _stopping;
    private Exception? _failure;

    /// <param name="helpers">Threads besides the caller's (parts = helpers + 1).</param>
    public FusedWorkers(int helpers)
    {
        _threads = new Thread[helpers];
        for (int i = 0; i < helpers; i++)
        {
            int part = i + 1;
            _threads[i] = new Thread(() => Loop(part)) { IsBackground = true, Name = $"nanodet fused {part}" };
            _threads[i].Start();
        }
    }

    /// <summary>Parts a split operation is cut into.</summary>
    public int Parts => _threads.Length + 1;

    /// <summary>Lets the helpers spin for work (a program run is starting).</summary>
    public void Wake() => _awake.Set();

    /// <summary>Sends the helpers to sleep once they are idle (a program run has ended).</summary>
    public void Rest() => _awake.Reset();

    /// <summary>Runs every phase of <paramref name="op"/>, each split across all parts; returns when all are done.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void Run(FusedOp op, FusedMemory memory)
    {
        for (int phase = 0; phase < op.Phases; phase++)
        {
            (_op, _memory, _phase) = (op, memory, phase);
            Volatile.Write(ref _remaining, _threads.Length);
            Interlocked.Increment(ref _generation);
            Exception? own = null;
            try
            {
                op.RunPart(memory, phase, 0, Parts);
            }
            catch (Exception e)
            {
                own = e;
            }
            var spin = new SpinWait();
            while (Volatile.Read(ref _remaining) != 0) spin.SpinOnce(sleep1Threshold: -1);
            var failure = own ?? Interlocked.Exchange(ref _failure, null);
            if (failure is not null) ExceptionDispatchInfo.Capture(failure).Throw();
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void Loop(int part)
    {
        // Generation 0 is the state at construction; the first Run (which may come before this thread is scheduled) makes it 1.
        int seen = 0;
        while (true)
        {
            while (Volatile.Read(ref _generation) == seen)
            {
                if (_stopping) return;
                if (_awake.IsSet) Thread.SpinWait(20);
                else _awake.Wait();
            }
            seen = Volatile.Read(ref _generation);
            try
            {
                _op!.RunPart(_memory!, _phase, part, Parts);
            }
            catch (Exception e)
            {
                Interlocked.CompareExchange(ref _failure, e, null);
            }
            Interlocked.Decrement(ref _remaining);
        }
    }

    public void Dispose()
    {
        _stopping = true;
        _awake.Set();
        foreach (var t in _threads) t.Join();
        _awake.Dispose();
    }
}
