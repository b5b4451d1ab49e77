using System.Reflection;
using Microsoft.Extensions.DependencyInjection;
using NanoDet.Abstractions.Plugins;
using NanoDet.Host.Plugins;
using NanoDet.Host.Verbs;
using NanoDet.Inference.Errors;

namespace NanoDet.Host.Cli;

/// <summary>How the composition root registers NanoDet's services.</summary>
internal static class NanoDetServiceCollectionExtensions
{
    /// <summary>
    /// Every plugin class of <paramref name="assemblies"/> as a keyed service (<see cref="PluginCatalog"/>), the catalog
    /// itself and the resolver that creates plugins by name.
    /// </summary>
    public static IServiceCollection AddNanoDetPlugins(this IServiceCollection services, IReadOnlyList<Assembly> assemblies)
    {
        services.AddSingleton(PluginCatalog.Register(services, assemblies));
        services.AddSingleton<IPluginResolver, PluginResolver>();
        return services;
    }

    /// <summary>The verb services (every <c>*Command</c> class of the Verbs folder), created per invocation with their dependencies.</summary>
    public static IServiceCollection AddNanoDetVerbs(this IServiceCollection services) =>
        services.Scan(scan => scan.FromAssemblyOf<TrainCommand>()
            .AddClasses(c => c.InExactNamespaceOf<TrainCommand>().Where(t => t.Name.EndsWith("Command", StringComparison.Ordinal)), publicOnly: false)
            .AsSelf()
            .WithTransientLifetime());
}
