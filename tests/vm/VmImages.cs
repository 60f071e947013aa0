using Diode.Edge.Tests.Packaging;
using Diode.Edge.Tests.Support;

namespace Diode.Edge.Tests.Vm;

/// <summary>
/// The test VM images, each built once per run by tests/vm/build-image.sh from Debian's kernel and busybox packages
/// and the .deb this checkout builds (the same packages the packaging tests check).
/// </summary>
public sealed class VmImages
{
    private readonly Dictionary<string, Lazy<Task<VmImage>>> _images = new()
    {
        ["amd64"] = new(() => BuildAsync("amd64")),
        ["arm64"] = new(() => BuildAsync("arm64")),
    };

    public Task<VmImage> GetAsync(string arch) => _images[arch].Value;

    private static async Task<VmImage> BuildAsync(string arch)
    {
        string deb = await DebPackages.DebAsync(arch);
        string output = Path.Combine(RepoRoot.Path, "artifacts", "vm", arch);
        var (code, stdout, stderr) = await Tool.RunAsync("bash", ["tests/vm/build-image.sh", arch, deb, output], timeout: TimeSpan.FromMinutes(10));
        Assert.True(code == 0, $"tests/vm/build-image.sh {arch} failed ({code}):\n{stdout}{stderr}");
        return new VmImage(arch, Path.Combine(output, "kernel"), Path.Combine(output, "initrd.cpio"));
    }
}
