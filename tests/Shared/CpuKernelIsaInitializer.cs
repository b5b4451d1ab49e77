using System.Runtime.CompilerServices;
using NanoDet.Abstractions.Runtime;

namespace NanoDet.Tests.Shared;

/// <summary>Test processes use the same oneDNN kernel cap as the <c>nanodet</c> host (see <see cref="CpuKernelIsa"/>).</summary>
internal static class CpuKernelIsaInitializer
{
    [ModuleInitializer]
    internal static void Apply() => CpuKernelIsa.Apply();
}
