using NanoDet.Abstractions.Runtime;
using NanoDet.Host.Cli;

// Before anything can touch libtorch: the oneDNN kernel cap is read once, at the first convolution.
LibtorchEnvironment.Apply();
return await NanoDetCli.RunAsync(args);
