using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using NanoDet.Abstractions.Plugins;
using NanoDet.Host.Configuration;
using NanoDet.Host.Plugins;
using NanoDet.Host.Runtime;
using NanoDet.Inference.Errors;
using Serilog;
using Serilog.Settings.Configuration;

namespace NanoDet.Host.Cli;

/// <summary>
/// The composition root: merged configuration, Serilog (console + a file under <c>save_dir/logs</c>), the plugin
/// registry and resolver, and the verb services, in a Microsoft.Extensions.Hosting host.
/// </summary>
internal static class NanoDetHostFactory
{
    /// <param name="args">Global CLI options.</param>
    /// <param name="verb">Verb name, used for the log file name.</param>
    /// <param name="logToFile">Write a log file under save_dir (verbs that do work).</param>
    /// <param name="embeddedFrom">
    /// Given the configuration without it, names a checkpoint or resume file whose embedded configuration becomes a
    /// layer (see <see cref="ConfigSources.Embedded"/>), or returns null.
    /// </param>
    /// <param name="baseDirectory">Where appsettings*.json live (default: beside the executable).</param>
    public static IHost Build(GlobalArgs args, string verb, bool logToFile,
        Func<IConfiguration, string?>? embeddedFrom = null, string? baseDirectory = null)
    {
        var sources = new ConfigSources(
            baseDirectory ?? AppContext.BaseDirectory,
            string.IsNullOrWhiteSpace(args.Profile) ? System.Environment.GetEnvironmentVariable("DOTNET_ENVIRONMENT") : args.Profile,
            args.ConfigFile,
            NanoDetConfiguration.ProcessEnvironment(),
            args.Sets);
        var config = NanoDetConfiguration.Build(sources);
        if (embeddedFrom?.Invoke(config) is { } embeddedPath && EmbeddedConfig.Read(embeddedPath) is { } embedded)
        {
            sources = sources with { Embedded = embedded };
            config = NanoDetConfiguration.Build(sources);
        }

        var builder = Microsoft.Extensions.Hosting.Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings
        {
            DisableDefaults = true,
            EnvironmentName = sources.Profile ?? "Default",
            ContentRootPath = sources.BaseDirectory,
        });
        builder.Configuration.AddConfiguration(config);

        var logger = CreateLogger(config, args.Verbose, logToFile ? LogFilePath(config, verb) : null);
        builder.Services.AddSerilog(logger, dispose: true);

        var folders = config.GetSection("plugins:paths").GetChildren()
            .Select(c => c.Value ?? throw new ConfigurationException($"{c.Path}: empty plugin folder"))
            .ToArray();
        builder.Services.AddNanoDetPlugins(PluginCatalog.LoadAssemblies(folders, i => $"plugins:paths:{i}"));
        builder.Services.AddNanoDetVerbs();
        builder.Services.AddSingleton(sources);
        builder.Services.AddSingleton(args);
        return builder.Build();
    }

    /// <summary><c>save_dir</c>, default <c>workspace/default</c>.</summary>
    public static string SaveDir(IConfiguration config) =>
        Path.GetFullPath(string.IsNullOrWhiteSpace(config["save_dir"]) ? "workspace/default" : config["save_dir"]!);

    private static string LogFilePath(IConfiguration config, string verb) =>
        Path.Combine(SaveDir(config), "logs", $"{verb}-{DateTime.Now:yyyyMMdd-HHmmss}.log");

    private static Serilog.ILogger CreateLogger(IConfiguration config, bool verbose, string? file)
    {
        var options = new ConfigurationReaderOptions(
            typeof(ConsoleLoggerConfigurationExtensions).Assembly,
            typeof(FileLoggerConfigurationExtensions).Assembly);
        var lc = new LoggerConfiguration().ReadFrom.Configuration(config, options);
        // Console lines go through Spectre (stderr) so they coexist with live progress bars; sinks listed
        // under Serilog:WriteTo are added on top.
        lc.WriteTo.Sink(new SpectreLogSink(ConsoleUi.Error, "[{Timestamp:HH:mm:ss} {Level:u3}] {Message:lj}{NewLine}{Exception}"));
        if (verbose) lc.MinimumLevel.Debug();
        if (file is not null)
        {
            Directory.CreateDirectory(Path.GetDirectoryName(file)!);
            lc.WriteTo.File(file, outputTemplate: "{Timestamp:yyyy-MM-dd HH:mm:ss.fff} [{Level:u3}] {SourceContext}: {Message:lj}{NewLine}{Exception}");
        }
        return lc.CreateLogger();
    }
}
