using NanoDet.Benchmarks;

var benchmarks = typeof(IBenchmark).Assembly.GetTypes()
    .Where(t => typeof(IBenchmark).IsAssignableFrom(t) && t is { IsAbstract: false, IsInterface: false })
    .Select(t => (IBenchmark)Activator.CreateInstance(t)!)
    .OrderBy(b => b.Name, StringComparer.Ordinal)
    .ToList();

if (args.Length == 0 || args[0] is "list" or "--help" or "-h")
{
    Console.WriteLine("usage: dotnet run -c Release --project benchmarks -- <name> [args]");
    foreach (var b in benchmarks) Console.WriteLine($"  {b.Name,-12} {b.Description}");
    return args.Length == 0 ? 2 : 0;
}

var chosen = benchmarks.FirstOrDefault(b => b.Name == args[0]);
if (chosen is null)
{
    Console.Error.WriteLine($"unknown benchmark '{args[0]}'; available: {string.Join(", ", benchmarks.Select(b => b.Name))}");
    return 2;
}
// The same libtorch set-up as the nanodet host (probed oneDNN level before any convolution, NNPACK off).
NanoDet.Host.Runtime.TorchRuntime.EnsureLoaded();
var isa = NanoDet.Host.Runtime.TorchRuntime.KernelIsa;
Console.WriteLine($"# {chosen.Name} — {Measure.MachineLine()}; oneDNN kernels up to {isa}; convolutions: {NanoDet.Compute.Kernels.ConvKernelSelector.Shared.Mode}");
return chosen.Run(args.Skip(1).ToArray());
