using System.Runtime.CompilerServices;
using NanoDet.Abstractions.Runtime;

namespace NanoDet.Tests.Shared;

/// <summary>Test processes use the same oneDNN kernel cap as the <c>nanodet</c> host (see <see cref="LibtorchEnvironment"/>).</summary>
internal static class LibtorchEnvironmentInitializer
{
    [ModuleInitializer]
    internal static void Apply() => LibtorchEnvironment.Apply();
}
