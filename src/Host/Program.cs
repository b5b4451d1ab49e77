using NanoDet.Host.Cli;

return await NanoDetCli.RunAsync(args);
