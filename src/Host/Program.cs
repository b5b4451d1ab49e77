using System.Diagnostics;
using NanoDet.Compute.Kernels;
using NanoDet.Compute.Runtime;
using NanoDet.Host.Cli;

// A oneDNN probe child (started by the probe below on a machine without a cached result): check and exit.
if (args is [OneDnnProbe.ChildVerb, var level]) return OneDnnProbe.RunAsChild(level, Console.Out);

// The probe starts this executable again (it also works in a self-contained publish, which has no dotnet host).
OneDnnProbe.ChildLauncher = isa =>
{
    var self = Environment.ProcessPath;
    if (self is null) return null;
    var psi = new ProcessStartInfo(self);
    if (Path.GetFileNameWithoutExtension(self).Equals("dotnet", StringComparison.OrdinalIgnoreCase))
        psi.ArgumentList.Add(typeof(NanoDetCli).Assembly.Location);
    psi.ArgumentList.Add(OneDnnProbe.ChildVerb);
    psi.ArgumentList.Add(isa);
    return psi;
};

// Before anything can touch libtorch: oneDNN reads its instruction-set level once, at the first convolution.
LibtorchEnvironment.Apply();
return await NanoDetCli.RunAsync(args);
