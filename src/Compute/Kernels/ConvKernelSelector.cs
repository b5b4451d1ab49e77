using System.Collections.Concurrent;
using System.Diagnostics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using NanoDet.Compute.Layers;
using NanoDet.Compute.Runtime;
using TorchSharp;
using static TorchSharp.torch;

namespace NanoDet.Compute.Kernels;

/// <summary>
/// Chooses, per convolution call shape (<see cref="ConvCall"/>), which <see cref="IConvKernel"/> computes it. On the
/// first call of a shape every kernel that supports it runs on random data of that shape in float32 and is compared
/// with libtorch's float64 convolution (forward, and the input, weight and bias gradients when training, on up to
/// <see cref="CheckBatch"/> images); the kernels within <see cref="Tolerance"/> are timed on the full shape and the
/// fastest wins. Choices are kept for the process, written to the <see cref="ConvKernelCache"/> for the next one,
/// and can be pinned (a resumed training uses the choices it started with, so it stays bit-exact).
/// </summary>
/// <remarks>
/// The check uses its own random generator, never the global one, so choosing a kernel does not change any
/// training randomness. Off the CPU, or for dtypes other than float32, libtorch's convolution is used as is.
/// </remarks>
public sealed class ConvKernelSelector
{
    /// <summary>Largest accepted |float32 − float64| / max |float64|, per output (accumulation noise is ~1e-6).</summary>
    public const double Tolerance = 1e-4;

    /// <summary>Images per batch used for the float64 comparison (the timing uses the full batch).</summary>
    public const long CheckBatch = 4;

    /// <summary>Environment variable that overrides the mode (<c>auto</c> or <c>libtorch</c>).</summary>
    public const string ModeVariable = "NANODET_CONV_KERNELS";

    /// <summary>Bumped whenever a kernel's code changes, so cached choices are re-measured.</summary>
    public const string KernelSetVersion = "3";

    private static readonly Lazy<ConvKernelSelector> SharedInstance = new(CreateShared);

    private readonly object _gate = new();
    private readonly IReadOnlyList<IConvKernel> _kernels;
    private readonly IConvKernel _libtorch;
    private readonly ConvKernelCache _cache;
    private readonly ConcurrentDictionary<ConvCall, (IConvKernel Kernel, ConvKernelChoice Choice, StrongBox<long> Uses)> _inUse = new();
    private readonly Dictionary<string, string> _pinned = new();
    private int _timedRuns = 5;

    /// <param name="kernels">Candidates; libtorch's own convolution is always among them (added if missing).</param>
    /// <param name="cache">Where choices persist across processes.</param>
    /// <param name="mode">Auto (select) or Libtorch (always libtorch's convolution).</param>
    public ConvKernelSelector(IEnumerable<IConvKernel> kernels, ConvKernelCache cache, ConvKernelMode mode = ConvKernelMode.Auto)
    {
        var list = kernels.ToList();
        _libtorch = list.FirstOrDefault(k => k.Name == LibtorchConvKernel.KernelName) ?? new LibtorchConvKernel();
        if (!list.Contains(_libtorch)) list.Insert(0, _libtorch);
        _kernels = list;
        _cache = cache;
        Mode = mode;
    }

    /// <summary>The selector every <see cref="AdaptiveConv2d"/> uses.</summary>
    public static ConvKernelSelector Shared => SharedInstance.Value;

    /// <summary>
    /// The built-in kernels: libtorch, oneDNN called directly, 1×1 GEMM (two layouts), unfold + GEMM, shifted GEMMs,
    /// depthwise shifted MACs.
    /// </summary>
    public static IReadOnlyList<IConvKernel> BuiltInKernels() =>
        [
            new LibtorchConvKernel(), new OneDnnDirectKernel(), new PointwiseGemmKernel(), new BatchedGemmKernel(), new UnfoldGemmKernel(),
            new ShiftedGemmKernel(), new DepthwiseShiftKernel(),
        ];

    public ConvKernelMode Mode { get; set; }

    /// <summary>Timed runs per candidate after one warm-up (the median counts).</summary>
    public int TimedRuns { get => _timedRuns; set => _timedRuns = Math.Max(1, value); }

    /// <summary>The candidates, libtorch first.</summary>
    public IReadOnlyList<IConvKernel> Kernels => _kernels;

    /// <summary>Where choices persist (null path: memory only).</summary>
    public ConvKernelCache Cache => _cache;

    /// <summary>Measure every new call shape even when the cache has a choice for it (and overwrite the cache).</summary>
    public bool IgnoreCache { get; set; }

    /// <summary>Called with one line per new choice (for the log).</summary>
    public Action<string>? Log { get; set; }

    /// <summary>Every choice this process has used, in first-use order of the keys.</summary>
    public IReadOnlyList<ConvKernelChoice> ChoicesInUse => _inUse.Values.Select(v => v.Choice).OrderBy(c => c.CallKey, StringComparer.Ordinal).ToList();

    /// <summary>Every call shape this process has run a convolution for.</summary>
    public IReadOnlyList<ConvCall> CallsInUse => _inUse.Keys.ToList();

    /// <summary>How many convolutions each call shape has run in this process (profiling: `benchmarks -- infer-profile`).</summary>
    public IReadOnlyDictionary<ConvCall, long> UseCounts() =>
        _inUse.ToDictionary(kv => kv.Key, kv => Interlocked.Read(ref kv.Value.Uses.Value));

    /// <summary>Call key → kernel name of every choice in use (what a resume state records).</summary>
    public IReadOnlyDictionary<string, string> Snapshot() =>
        _inUse.ToDictionary(kv => kv.Key.Key, kv => kv.Value.Kernel.Name, StringComparer.Ordinal);

    /// <summary>
    /// Fixes the kernel of the given calls (a resumed run's recorded choices); unknown kernel names are ignored.
    /// Choices already in use for those keys are replaced.
    /// </summary>
    public void Pin(IReadOnlyDictionary<string, string> choices)
    {
        lock (_gate)
        {
            foreach (var (key, name) in choices)
            {
                if (_kernels.All(k => k.Name != name)) continue;
                _pinned[key] = name;
                foreach (var call in _inUse.Keys.Where(c => c.Key == key).ToList()) _inUse.TryRemove(call, out _);
            }
        }
    }

    /// <summary>Forgets the choices of this process (not the cache); tests use it.</summary>
    public void Reset()
    {
        lock (_gate)
        {
            _inUse.Clear();
            _pinned.Clear();
        }
    }

    /// <summary>x [N, in, H, W] → [N, out, H', W'] with the kernel chosen for this call.</summary>
    public Tensor Forward(Tensor x, Tensor weight, Tensor? bias, ConvGeometry geometry)
    {
        if (Mode == ConvKernelMode.Libtorch || x.device_type != DeviceType.CPU || x.dtype != ScalarType.Float32)
            return _libtorch.Forward(x, weight, bias, geometry);
        bool training = is_grad_enabled() && (x.requires_grad || weight.requires_grad);
        var shape = x.shape;
        var call = new ConvCall(geometry, shape[0], shape[2], shape[3], MemoryLayout.IsChannelsLast(x), training,
            InputGrad: training && x.requires_grad);
        return KernelFor(call).Forward(x, weight, bias, geometry);
    }

    /// <summary>The kernel for a call: in use, pinned, cached, or chosen now by measurement.</summary>
    public IConvKernel KernelFor(ConvCall call)
    {
        if (_inUse.TryGetValue(call, out var known))
        {
            Interlocked.Increment(ref known.Uses.Value);
            return known.Kernel;
        }
        lock (_gate)
        {
            if (_inUse.TryGetValue(call, out known))
            {
                Interlocked.Increment(ref known.Uses.Value);
                return known.Kernel;
            }
            var key = call.Key;
            ConvKernelChoice choice;
            if (_pinned.TryGetValue(key, out var pinned))
                choice = new ConvKernelChoice(key, call.ToString(), pinned, "pinned by the resume state", []);
            else if (!IgnoreCache && _cache.Find(key) is { } cached && _kernels.Any(k => k.Name == cached.Kernel && k.Supports(call)))
                choice = cached;
            else
            {
                choice = Measure(call);
                _cache.Add(choice);
                Log?.Invoke($"conv {call}: {choice.Kernel} ({choice.Reason})");
            }
            var kernel = _kernels.First(k => k.Name == choice.Kernel);
            _inUse[call] = (kernel, choice, new StrongBox<long>(1));
            return kernel;
        }
    }

    /// <summary>The choice behind <see cref="KernelFor"/> for a call (made now when the call is new).</summary>
    public ConvKernelChoice ChoiceFor(ConvCall call)
    {
        KernelFor(call);
        return _inUse[call].Choice;
    }

    /// <summary>Checks every supporting kernel against float64 on the call's shape and times the exact ones.</summary>
    public ConvKernelChoice Measure(ConvCall call)
    {
        var candidates = _kernels.Where(k => k.Supports(call)).ToList();
        var trials = new List<ConvKernelTrial>();
        using (var _ = NewDisposeScope())
        using (var grad = call.Training ? enable_grad() : no_grad())
        {
            var c = call;
            var problem = ConvCheck.Create(c, Math.Min(c.Batch, CheckBatch), seed: (ulong)StableHash(c.Key));
            var errors = new Dictionary<IConvKernel, double>();
            foreach (var kernel in candidates)
            {
                try
                {
                    errors[kernel] = problem.Error(kernel);
                }
                catch (Exception e) when (e is ExternalException or ArgumentException or InvalidOperationException)
                {
                    errors[kernel] = double.NaN;
                }
            }
            var exact = candidates.Where(k => errors[k] < Tolerance).ToList();
            var times = exact.Count > 1 ? ConvCheck.Time(exact, c, _timedRuns) : exact.Select(_ => 0.0).ToArray();
            foreach (var kernel in candidates)
            {
                int index = exact.IndexOf(kernel);
                trials.Add(new ConvKernelTrial(kernel.Name, errors[kernel], index >= 0 ? times[index] : double.NaN, index >= 0));
            }
        }
        var best = trials.Where(t => t.Exact).OrderBy(t => t.Milliseconds).FirstOrDefault();
        if (best is null)
            return new ConvKernelChoice(call.Key, call.ToString(), _libtorch.Name,
                "no candidate matched float64; libtorch kept", trials);
        var libtorch = trials.FirstOrDefault(t => t.Kernel == _libtorch.Name);
        string reason;
        if (trials.Count(t => t.Exact) == 1) reason = "the only exact candidate";
        else if (best.Kernel == _libtorch.Name || libtorch is null || !libtorch.Exact) reason = $"{best.Milliseconds:F2} ms, fastest exact";
        else reason = $"{best.Milliseconds:F2} ms vs libtorch {libtorch.Milliseconds:F2} ms";
        if (libtorch is { Exact: false }) reason += $"; libtorch's error {libtorch.Error:E1}";
        return new ConvKernelChoice(call.Key, call.ToString(), best.Kernel, reason, trials);
    }

    private static int StableHash(string text)
    {
        unchecked
        {
            int h = 17;
            foreach (var ch in text) h = h * 31 + ch;
            return h & 0x7fffffff;
        }
    }

    private static ConvKernelSelector CreateShared()
    {
        var mode = ParseMode(Environment.GetEnvironmentVariable(ModeVariable)) ?? ConvKernelMode.Auto;
        return new ConvKernelSelector(BuiltInKernels(), new ConvKernelCache(DefaultCachePath()), mode);
    }

    /// <summary>auto | libtorch (case-insensitive), or null for anything else.</summary>
    public static ConvKernelMode? ParseMode(string? text) => text?.Trim().ToLowerInvariant() switch
    {
        "auto" => ConvKernelMode.Auto,
        "libtorch" or "onednn" => ConvKernelMode.Libtorch,
        _ => null,
    };

    /// <summary>
    /// The cache file for this machine, libtorch, oneDNN level in force and intra-op thread count (each changes
    /// which kernel is exact or fastest).
    /// </summary>
    public static string DefaultCachePath()
    {
        var isa = Environment.GetEnvironmentVariable(LibtorchEnvironment.IsaVariable) ?? "default";
        var hash = MachineFingerprint.Current(torch.__version__).Hash(isa, $"threads={torch.get_num_threads()}", KernelSetVersion);
        return System.IO.Path.Combine(UserCacheFolder.Resolve("kernels"), $"conv-{hash}.json");
    }
}
