using System.Text.RegularExpressions;
using Diode.Edge.Tests.Support;

namespace Diode.Edge.Tests.Packaging;

/// <summary>Builds the arm64 and amd64 packages once for all packaging tests, with the one command a user types.</summary>
public sealed partial class DebPackages : IAsyncLifetime
{
    public string Directory { get; } = Path.Combine(RepoRoot.Path, "artifacts", "deb-tests");

    /// <summary>The version, read from its one place (Directory.Build.props).</summary>
    public string Version { get; } = VersionPrefix().Match(File.ReadAllText(Path.Combine(RepoRoot.Path, "Directory.Build.props"))).Groups[1].Value;

    public string BuildOutput { get; private set; } = string.Empty;

    public string Deb(string arch) => Path.Combine(Directory, $"diode-edge_{Version}_{arch}.deb");

    /// <summary>One build per test run, shared with the VM suite (which boots these very packages).</summary>
    private static readonly Lazy<Task<(int Code, string Output)>> Build = new(BuildAllAsync);

    /// <summary>The packages of this checkout (built once per test run, whoever asks first); fails the caller when the build failed.</summary>
    public static async Task<string> DebAsync(string arch)
    {
        var (code, output) = await Build.Value;
        Assert.True(code == 0, "packaging/build-deb.sh all failed:\n" + output);
        string version = VersionPrefix().Match(File.ReadAllText(Path.Combine(RepoRoot.Path, "Directory.Build.props"))).Groups[1].Value;
        return Path.Combine(RepoRoot.Path, "artifacts", "deb-tests", $"diode-edge_{version}_{arch}.deb");
    }

    private static async Task<(int Code, string Output)> BuildAllAsync()
    {
        // For iterating on the VM suite: packages already built from this checkout (packaging/build-deb.sh all DIR).
        if (Environment.GetEnvironmentVariable("DIODE_EDGE_TEST_DEBS") is { Length: > 0 } prebuilt)
        {
            string target = Path.Combine(RepoRoot.Path, "artifacts", "deb-tests");
            System.IO.Directory.CreateDirectory(target);
            foreach (string deb in System.IO.Directory.GetFiles(prebuilt, "*.deb"))
            {
                File.Copy(deb, Path.Combine(target, Path.GetFileName(deb)), overwrite: true);
            }

            return (0, $"packages from DIODE_EDGE_TEST_DEBS={prebuilt}");
        }

        var (code, stdout, stderr) = await Tool.RunAsync("bash", ["packaging/build-deb.sh", "all", Path.Combine(RepoRoot.Path, "artifacts", "deb-tests")], timeout: TimeSpan.FromMinutes(20));
        return (code, stdout + stderr);
    }

    public async Task InitializeAsync()
    {
        var (code, output) = await Build.Value;
        BuildOutput = output;
        Assert.True(code == 0, "packaging/build-deb.sh all failed:\n" + BuildOutput);
    }

    public Task DisposeAsync() => Task.CompletedTask;

    [GeneratedRegex("<VersionPrefix>([^<]+)</VersionPrefix>")]
    private static partial Regex VersionPrefix();
}
