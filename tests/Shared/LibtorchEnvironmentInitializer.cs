using System.Runtime.CompilerServices;
using NanoDet.Compute.Runtime;

namespace NanoDet.Tests.Shared;

/// <summary>Test processes use the same oneDNN kernel level as the <c>nanodet</c> host (the cached probe; see <see cref="LibtorchEnvironment"/>).</summary>
internal static class LibtorchEnvironmentInitializer
{
    [ModuleInitializer]
    internal static void Apply() => _ = LibtorchEnvironment.Apply();
}
