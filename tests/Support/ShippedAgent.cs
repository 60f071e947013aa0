using System.Runtime.InteropServices;

namespace Diode.Edge.Tests.Support;

/// <summary>
/// The agent as it ships: the Native AOT binary that <c>packaging/publish-aot.sh</c> builds for the .deb, published for
/// this machine once per test run into <c>artifacts/aot/&lt;rid&gt;</c> (incremental: seconds when nothing changed), so
/// every test that starts the executable proves what is packaged. <c>DIODE_EDGE_TEST_JIT=1</c> runs the JIT build next
/// to the tests instead, for a quick edit-and-test loop on one test, and <c>DIODE_EDGE_TEST_BINARY=path</c> a binary
/// built elsewhere (e.g. unpacked from a .deb); CI sets neither.
/// </summary>
public static class ShippedAgent
{
    private static readonly Lazy<string> Published = new(Publish, LazyThreadSafetyMode.ExecutionAndPublication);

    public static string RuntimeIdentifier => RuntimeInformation.OSArchitecture == Architecture.Arm64 ? "linux-arm64" : "linux-x64";

    public static bool Jit => Environment.GetEnvironmentVariable("DIODE_EDGE_TEST_JIT") == "1";

    /// <summary>The directory of the published binary.</summary>
    public static string Directory => Path.Combine(RepoRoot.Path, "artifacts", "aot", RuntimeIdentifier);

    /// <summary>The log of the last publish that ran the ILCompiler (its trim and AOT warnings).</summary>
    public static string PublishLog => Directory + ".publish.log";

    /// <summary>The native executable, published first if need be.</summary>
    public static string Executable => Published.Value;

    private static string Publish()
    {
        // A binary built elsewhere (e.g. unpacked from a .deb), named by path.
        if (Environment.GetEnvironmentVariable("DIODE_EDGE_TEST_BINARY") is { Length: > 0 } given)
        {
            return File.Exists(given) ? Path.GetFullPath(given) : throw new FileNotFoundException("DIODE_EDGE_TEST_BINARY names no file", given);
        }

        var (code, stdout, stderr) = Tool.RunAsync("bash", [Path.Combine(RepoRoot.Path, "packaging", "publish-aot.sh"), RuntimeIdentifier, Directory],
            workingDirectory: RepoRoot.Path, timeout: TimeSpan.FromMinutes(20)).GetAwaiter().GetResult();
        if (code != 0)
        {
            throw new InvalidOperationException($"packaging/publish-aot.sh {RuntimeIdentifier} failed (exit {code}):\n{stdout}{stderr}");
        }

        return Path.Combine(Directory, "diode-edge");
    }
}
