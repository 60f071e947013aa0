using System.Text.RegularExpressions;
using Diode.Edge.Tests.Support;
using Xunit.Abstractions;

namespace Diode.Edge.Tests.Packaging;

/// <summary>
/// The agent as Native AOT (issue 19): the publish reports no trim or AOT warning in the project's own code, and the
/// native binary loads a good configuration and refuses a bad one with exit 78 naming the key — the source-generated
/// schema walk and binder, which replaced the reflection ones. In the packaging collection, so it runs after the .deb
/// build and never beside it (both publish the Release linux-x64 build).
/// </summary>
[Collection(DebPackagesCollection.Name)]
public sealed partial class NativeAotTests(DebPackages packages, ITestOutputHelper output) : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public async Task The_native_aot_publish_has_no_warning_in_own_code_and_its_binary_checks_configs()
    {
        Assert.NotEmpty(packages.Version);
        string publish = Path.Combine(_dir.Path, "aot");
        var (code, stdout, stderr) = await Tool.RunAsync("dotnet",
            ["publish", "agent/Diode.Edge.Agent.csproj", "-c", "Release", "-r", "linux-x64", "-p:PublishAot=true",
             "-p:TreatWarningsAsErrors=false", "-p:TrimmerSingleWarn=false", "-o", publish, "-nologo"],
            workingDirectory: RepoRoot.Path, timeout: TimeSpan.FromMinutes(15));
        string log = stdout + stderr;
        var warnings = log.Split('\n').Where(l => TrimOrAotWarning().IsMatch(l)).Select(l => l.Trim()).Distinct().ToList();
        output.WriteLine($"{warnings.Count} trim/AOT warnings, all from libraries:\n" + string.Join('\n', warnings));
        Assert.True(code == 0, "AOT publish failed:\n" + log);

        var own = warnings.Where(w => OwnCode().IsMatch(w)).ToList();
        Assert.True(own.Count == 0, "trim or AOT warnings in the project's own code:\n" + string.Join('\n', own));

        string binary = Path.Combine(publish, "diode-edge");
        var good = await Tool.RunAsync(binary, ["config", "check", "--config", Path.Combine(RepoRoot.Path, "agent", "config.dev.json")]);
        Assert.True(good.ExitCode == 0, good.Stdout + good.Stderr);

        string bad = _dir.File("bad.json", """{ "sensors": [ { "type": "simulated", "name": "a", "interval": "5 parsecs" } ], "store": { "maxSize": [] } }""");
        var refused = await Tool.RunAsync(binary, ["config", "check", "--config", bad]);
        Assert.Equal(78, refused.ExitCode);
        Assert.Contains("sensors[0].interval: \"5 parsecs\" is not a duration", refused.Stderr, StringComparison.Ordinal);
        Assert.Contains("store.maxSize: an array is not a size", refused.Stderr, StringComparison.Ordinal);
    }

    [GeneratedRegex(@"warning IL[23]\d{3}")]
    private static partial Regex TrimOrAotWarning();

    // A warning whose member is in one of the project's namespaces, or whose location is a source file of this repository.
    [GeneratedRegex(@"warning IL[23]\d{3}: Diode\.Edge|/(agent|sensors|watchdog)/[^ ]+\.cs\(")]
    private static partial Regex OwnCode();
}
