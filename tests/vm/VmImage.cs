namespace Diode.Edge.Tests.Vm;

/// <summary>A kernel and initramfs built by tests/vm/build-image.sh for one architecture.</summary>
public sealed record VmImage(string Arch, string Kernel, string Initrd);
