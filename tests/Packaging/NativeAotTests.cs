using System.Text.RegularExpressions;
using Diode.Edge.Tests.Support;
using Xunit.Abstractions;

namespace Diode.Edge.Tests.Packaging;

/// <summary>
/// The agent as Native AOT, as <see cref="ShippedAgent"/> publishes it for every test that starts the
/// executable and build-deb.sh packages it: no trim or AOT warning in the project's own code, each library warning
/// listed in docs/packaging.md ("Trim and AOT warnings") with why it is safe, and the native binary loads a good configuration and refuses a bad one
/// with exit 78 naming the key — the source-generated schema walk and binder, which replaced the reflection ones.
/// </summary>
[Collection(DebPackagesCollection.Name)]
[Trait("Tier", Tiers.System)]
public sealed partial class NativeAotTests(ITestOutputHelper output) : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public void The_native_aot_publish_has_no_warning_in_own_code_and_the_packaging_page_lists_each_library_warning()
    {
        Assert.True(File.Exists(ShippedAgent.Executable));
        string log = File.ReadAllText(ShippedAgent.PublishLog);
        Assert.Contains("Generating native code", log, StringComparison.Ordinal);
        var warnings = log.Split('\n').Select(l => TrimOrAotWarning().Match(l)).Where(m => m.Success)
            .Select(m => (Code: m.Groups["code"].Value, Member: m.Groups["member"].Value.Replace("`1", "<T>", StringComparison.Ordinal))).Distinct().ToList();
        output.WriteLine($"{warnings.Count} trim/AOT warnings:\n" + string.Join('\n', warnings));

        var own = warnings.Where(w => w.Member.StartsWith("Diode.Edge", StringComparison.Ordinal)).ToList();
        Assert.True(own.Count == 0, "trim or AOT warnings in the project's own code:\n" + string.Join('\n', own));
        var locatedInRepo = log.Split('\n').Where(l => OwnSource().IsMatch(l)).ToList();
        Assert.True(locatedInRepo.Count == 0, "trim or AOT warnings in the project's sources:\n" + string.Join('\n', locatedInRepo));

        string page = File.ReadAllText(Path.Combine(RepoRoot.Path, "docs", "packaging.md"));
        var unlisted = warnings.Where(w => !page.Contains($"{w.Code} `{w.Member}`", StringComparison.Ordinal)).ToList();
        Assert.True(unlisted.Count == 0, "library trim/AOT warnings docs/packaging.md does not list (as \"ILxxxx `Member`\" with why it is safe, under \"Trim and AOT warnings\"):\n" + string.Join('\n', unlisted));
    }

    [Fact]
    public async Task The_native_binary_checks_a_good_config_and_refuses_a_bad_one_naming_each_key()
    {
        string binary = ShippedAgent.Executable;
        var good = await Tool.RunAsync(binary, ["config", "check", "--config", Path.Combine(RepoRoot.Path, "agent", "config.dev.json")]);
        Assert.True(good.ExitCode == 0, good.Stdout + good.Stderr);

        string bad = _dir.File("bad.json", """{ "sensors": [ { "type": "simulated", "name": "a", "interval": "5 parsecs" } ], "store": { "maxSize": [] } }""");
        var refused = await Tool.RunAsync(binary, ["config", "check", "--config", bad]);
        Assert.Equal(78, refused.ExitCode);
        Assert.Contains("sensors[0].interval: \"5 parsecs\" is not a duration", refused.Stderr, StringComparison.Ordinal);
        Assert.Contains("store.maxSize: an array is not a size", refused.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_idle_native_agent_signs_frames_without_loading_openssl()
    {
        // OpenSSL costs 3.4 MB resident for the agent's life (measured): only MQTT over TLS may load it.
        await using var agent = await AgentExecutable.StartAsync("aot", _dir.Path, """
            { "http": { "port": 0 }, "identity": { "keyPath": "device.key" }, "store": { "path": "store.db" },
              "watchdog": { "device": "simulated" },
              "sensors": [ { "type": "simulated", "name": "env", "interval": "100ms" } ] }
            """);
        string history;
        do
        {
            await Task.Delay(50);
            history = await agent.Http.GetStringAsync("/streams/env/history?limit=1");
        }
        while (!history.Contains("\"sig\"", StringComparison.Ordinal));

        // The dashboard too: its ETags are a content hash, not SHA-256.
        using var page = await agent.Http.GetAsync("/");
        Assert.Equal(System.Net.HttpStatusCode.OK, page.StatusCode);
        Assert.NotNull(page.Headers.ETag);

        var libraries = File.ReadAllLines($"/proc/{agent.Pid}/maps").Select(l => l.Split(' ', StringSplitOptions.RemoveEmptyEntries)).Where(f => f.Length == 6).Select(f => Path.GetFileName(f[5])).Distinct().Order().ToList();
        output.WriteLine(string.Join('\n', libraries));
        Assert.Contains(libraries, l => l.StartsWith("libsecp256k1.so", StringComparison.Ordinal));
        Assert.DoesNotContain(libraries, l => l.StartsWith("libcrypto.so", StringComparison.Ordinal) || l.StartsWith("libssl.so", StringComparison.Ordinal));
    }

    // "warning IL2026: Iot.Device.HardwareMonitor.OpenHardwareMonitorHttp.TryUpdateSensor(...): Using member ..." → the
    // code and the member up to its parameter list.
    [GeneratedRegex(@"warning (?<code>IL[23]\d{3}): (?<member>[^(:]+)")]
    private static partial Regex TrimOrAotWarning();

    [GeneratedRegex(@"/(agent|sensors|watchdog)/[^ ]+\.cs\(\d+.*warning IL[23]\d{3}")]
    private static partial Regex OwnSource();
}
