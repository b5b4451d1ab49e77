using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging;
using NanoDet.Inference.Errors;

namespace NanoDet.Abstractions.Plugins;

/// <summary>What a plugin factory may use while building its product.</summary>
/// <param name="Section">The config section the options were bound from (its <c>Path</c> names keys in errors).</param>
/// <param name="Resolver">Resolves further plugins by name (e.g. a head resolving its assigner).</param>
/// <param name="Loggers">Logger factory (Serilog-backed in the host).</param>
public sealed record PluginContext(IConfigurationSection Section, IPluginResolver Resolver, ILoggerFactory Loggers);
