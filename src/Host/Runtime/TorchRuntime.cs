using NanoDet.Compute.Runtime;
using TorchSharp;

namespace NanoDet.Host.Runtime;

/// <summary>
/// Loads libtorch once, turning a native load failure into one clear line, after setting oneDNN's kernel level
/// (<see cref="LibtorchEnvironment"/>).
/// </summary>
internal static class TorchRuntime
{
    private static readonly object Gate = new();
    private static bool _loaded;

    /// <summary>The oneDNN instruction-set level in force and where it came from, for logs and benchmark headers.</summary>
    public static string KernelIsa { get; private set; } = "";

    /// <param name="threads">Intra-op threads; 0 keeps libtorch's default (all cores).</param>
    public static void EnsureLoaded(int threads = 0)
    {
        lock (Gate)
        {
            if (!_loaded)
            {
                var onednn = LibtorchEnvironment.Apply();
                KernelIsa = $"{onednn.Isa} ({onednn.Source})";
                try
                {
                    using var probe = torch.zeros(1);
                }
                catch (Exception e) when (e is TypeInitializationException or DllNotFoundException or NotSupportedException)
                {
                    var root = e;
                    while (root.InnerException is not null) root = root.InnerException;
                    throw new InvalidOperationException(
                        $"libtorch could not be loaded: {root.Message.ReplaceLineEndings(" ")} (see README \"Native libraries\")", e);
                }
                LibtorchEnvironment.DisableNnpack();
                _loaded = true;
            }
            if (threads > 0) torch.set_num_threads(threads);
        }
    }
}
