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

    public async Task InitializeAsync()
    {
        var (code, stdout, stderr) = await Tool.RunAsync("bash", ["packaging/build-deb.sh", "all", Directory], timeout: TimeSpan.FromMinutes(20));
        BuildOutput = stdout + stderr;
        Assert.True(code == 0, "packaging/build-deb.sh all failed:\n" + BuildOutput);
    }

    public Task DisposeAsync() => Task.CompletedTask;

    [GeneratedRegex("<VersionPrefix>([^<]+)</VersionPrefix>")]
    private static partial Regex VersionPrefix();
}
