using NanoDet.Compute.Kernels;

// nanodet-kernel-probe __onednn-probe LEVEL: checks libtorch's convolutions at the oneDNN level set in this process's
// environment and prints one result line (see OneDnnProbe).
if (args is [OneDnnProbe.ChildVerb, var isa]) return OneDnnProbe.RunAsChild(isa, Console.Out);
Console.Error.WriteLine($"usage: NanoDet.KernelProbe {OneDnnProbe.ChildVerb} LEVEL (started by the oneDNN probe)");
return 2;
