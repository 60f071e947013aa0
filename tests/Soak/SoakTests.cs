using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;
using Diode.Edge.Tests.DiodeClient;
using Diode.Edge.Tests.Support;
using Xunit.Abstractions;

namespace Diode.Edge.Tests.Soak;

/// <summary>
/// The soak tier: two real agents for about ten minutes under everything that comes and goes in years of
/// service, sped up — one supervising the Diode stand-in, which crashes and is restarted every 45 s and forwards two
/// remote devices' consumers; one without a Diode client. Each has three sensors at 10, 4 and 1 frames a second, a store
/// that rotates (1 minute retention, 1 MB), MQTT output to a real mosquitto that is stopped and started every phase,
/// a simulated watchdog with its system checks, and 50 consumers (SSE and WebSocket) connecting and leaving without
/// pause. After each phase the consumers leave, the broker and the client are back, and a heap census is taken (an
/// induced full GC and a count of every live object by type, over EventPipe); the second census is the baseline (the first
/// one's EventPipe session leaves the runtime's EventSource metadata behind). Fails when any type's count rises census after census (reflection's per-member objects excepted: a first use makes them once and they stay, bounded by the code, so they are reported and left to the heap rule), when the live heap grows more than 5 %, or when
/// file descriptors or threads rise. Writes the figures to artifacts/soak/. The one tier that runs the JIT build of the
/// agent, not the shipped Native AOT binary: the census needs the runtime's GC heap-snapshot events over EventPipe, and
/// the Native AOT runtime refuses that session (measured: DiagnosticsClient.StartEventPipeSession ends the stream,
/// with and without EventSourceSupport).
/// </summary>
[Collection(TimingSensitive.Name)]
[Trait("Tier", Tiers.Soak)]
public sealed class SoakTests(ITestOutputHelper output)
{
    private const string Fleet = "0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed";
    private static readonly string[] Streams = ["env", "greenhouse", "soil"];

    /// <summary>The soak's length (DIODE_EDGE_SOAK_MINUTES, default 9); the first phase is the warm-up.</summary>
    private static TimeSpan Length => TimeSpan.FromMinutes(double.Parse(Environment.GetEnvironmentVariable("DIODE_EDGE_SOAK_MINUTES") ?? "9", CultureInfo.InvariantCulture));

    private const int Phases = 6;

    /// <summary>
    /// With DIODE_EDGE_SOAK_DUMPS=1, a dump (with heap) of each agent after each census goes to artifacts/soak/dumps/
    /// (with-diode-N.dmp, without-diode-N.dmp), to find what a growing type is and what keeps it (gcroot).
    /// </summary>
    private static string? DumpDirectory => Environment.GetEnvironmentVariable("DIODE_EDGE_SOAK_DUMPS") == "1" ? Path.Combine(RepoRoot.Path, "artifacts", "soak", "dumps") : null;

    [Fact]
    public async Task Ten_minutes_of_churn_grow_no_type_no_heap_no_descriptor_and_no_thread()
    {
        await using var broker = await Mosquitto.StartAsync();
        using var withDiodeDir = new TempDirectory();
        using var withoutDiodeDir = new TempDirectory();
        int remoteA = LoopbackPort.Free();
        int remoteB = LoopbackPort.Free();
        var standIn = new Dictionary<string, string>
        {
            ["DIODE_STANDIN_MODE"] = "crash",
            ["DIODE_STANDIN_AFTER_MS"] = "45000",
            ["DIODE_STANDIN_REMOTES"] = $"0xfB6916095ca1df60bB79Ce92cE3Ea74c37c5d359={remoteA};{Fleet}={remoteB}",
        };
        string diode = $$"""
            "diode": { "path": {{JsonSerializer.Serialize(DiodeAgentProcess.StandIn)}}, "mode": "protected", "fleet": "{{Fleet}}",
              "dbPath": "diode/private.db", "consumerPort": {{LoopbackPort.Free()}}, "restartDelay": "200ms", "restartCeiling": "2s",
              "stopGrace": "3s", "revalidateTimeout": "10s", "probeInterval": "2s" },
            """;
        await using var withDiode = await AgentExecutable.StartAsync("with the Diode client", withDiodeDir.Path, Config(broker.Port, diode), standIn, jit: true);
        await using var withoutDiode = await AgentExecutable.StartAsync("without the Diode client", withoutDiodeDir.Path, Config(broker.Port, """ "diode": { "enabled": false }, """), jit: true);

        var churns = new[]
        {
            (Agent: withDiode, Churn: new ConsumerChurn([withDiode.Address, new Uri($"http://127.0.0.1:{remoteA}"), new Uri($"http://127.0.0.1:{remoteB}")], Streams)),
            (Agent: withoutDiode, Churn: new ConsumerChurn([withoutDiode.Address], Streams)),
        };
        var samples = churns.ToDictionary(c => c.Agent, _ => new List<SoakSample>());
        var clock = Stopwatch.StartNew();
        TimeSpan phase = Length / Phases;
        for (int i = 0; i < Phases; i++)
        {
            using var stop = new CancellationTokenSource();
            var load = churns.Select((c, n) => c.Churn.RunAsync(50, seed: i * 10 + n, stop.Token)).ToArray();
            var broken = BreakTheBrokerAsync(broker, phase, stop.Token);
            await Task.Delay(phase);
            await stop.CancelAsync();
            await Task.WhenAll(load).WaitAsync(TimeSpan.FromSeconds(60));
            await broken.WaitAsync(TimeSpan.FromSeconds(60));

            foreach (var (agent, _) in churns)
            {
                Assert.False(agent.HasExited, $"{agent.Name} exited:\n{string.Join('\n', agent.LastLines)}");
                try
                {
                    await QuietAsync(agent, diodeRuns: agent == withDiode);
                }
                catch (HttpRequestException ex)
                {
                    throw new InvalidOperationException($"{agent.Name} (exited: {agent.HasExited}) refused: {ex.Message}; its last lines:\n{string.Join('\n', agent.LastLines)}", ex);
                }
                var census = await HeapCensus.TakeAsync(agent.Pid, TimeSpan.FromSeconds(60));
                samples[agent].Add(new SoakSample(clock.Elapsed, census, ProcessGauges.Read(agent.Pid)));
                if (DumpDirectory is { } dumps)
                {
                    // Right after the census's full GC: the heap is what the census counted, for ClrMD or dotnet-dump (gcroot).
                    Directory.CreateDirectory(dumps);
                    string file = Path.Combine(dumps, $"{(agent == withDiode ? "with-diode" : "without-diode")}-{i}.dmp");
                    await new Microsoft.Diagnostics.NETCore.Client.DiagnosticsClient(agent.Pid).WriteDumpAsync(Microsoft.Diagnostics.NETCore.Client.DumpType.WithHeap, file, logDumpGeneration: false, CancellationToken.None);
                }
            }
        }

        var restarts = DiodeAgentProcess.Number(await DiodeHealthAsync(withDiode), "restarts");
        // The first census, at the end of the warm-up, is not the baseline: the first EventPipe session itself makes the
        // runtime build its EventSource metadata (about 1,300 reflection objects that then stay). The second one is.
        var verdicts = churns.Select(c => SoakVerdict.Of(c.Agent.Name, [.. samples[c.Agent].Skip(1)])).ToList();
        var report = new StringBuilder();
        foreach (var (verdict, (agent, churn)) in verdicts.Zip(churns))
        {
            report.Append(verdict.Describe());
            report.AppendLine(CultureInfo.InvariantCulture, $"  consumers: {churn.Sessions} sessions, {churn.Frames} frames, {churn.Failures} refused or cut; agent log lines: {agent.LinesSeen}");
            // An exception's text in the log is the usual cause of a late one-time step in reflection types (its stack
            // trace reads a PDB and makes method infos that stay cached): name it, so such a step can be told from a leak.
            foreach (string line in agent.LastLines.Where(l => l.Contains("Exception", StringComparison.Ordinal)).Take(8))
            {
                report.AppendLine("  log: " + line);
            }
        }

        report.AppendLine(CultureInfo.InvariantCulture, $"Diode client restarts: {restarts}; broker stopped and started {Phases} times; length {clock.Elapsed.TotalMinutes:0.0} min");
        output.WriteLine(report.ToString());
        string artifacts = Path.Combine(RepoRoot.Path, "artifacts", "soak");
        Directory.CreateDirectory(artifacts);
        await File.WriteAllTextAsync(Path.Combine(artifacts, "soak-report.txt"), report.ToString());
        foreach (var (agent, _) in churns)
        {
            await File.WriteAllLinesAsync(Path.Combine(artifacts, (agent == withDiode ? "with-diode" : "without-diode") + ".log"), agent.LastLines);
        }

        Assert.True(restarts >= (long)(Length.TotalSeconds / 60), $"the Diode client should have crashed and been restarted during the soak (restarts: {restarts})");
        Assert.All(churns, c => Assert.True(c.Churn.Sessions > 500, $"{c.Agent.Name}: only {c.Churn.Sessions} consumer sessions"));
        foreach (var verdict in verdicts)
        {
            Assert.True(verdict.GrowingTypes.Count == 0, $"{verdict.Name}: types that grow with time:\n{report}");
            Assert.False(verdict.HeapGrew, $"{verdict.Name}: the live heap grew from {verdict.First.Census.Bytes} to {verdict.Last.Census.Bytes} bytes:\n{report}");
            Assert.False(verdict.FdsGrew, $"{verdict.Name}: file descriptors grew:\n{report}");
            Assert.False(verdict.ThreadsGrew, $"{verdict.Name}: threads grew:\n{report}");
        }

        Assert.Equal(0, await withDiode.StopAsync());
        Assert.Equal(0, await withoutDiode.StopAsync());
    }

    private static string Config(int brokerPort, string diode) => $$"""
        { "http": { "port": 0 }, "identity": { "keyPath": "device.key" },
          "hub": { "ringSize": 60 },
          "store": { "path": "store.db", "retention": "1m", "maxSize": "1MB", "flushInterval": "1s" },
          {{diode}}
          "mqtt": { "enabled": true, "host": "127.0.0.1", "port": {{brokerPort}}, "reconnectMinDelay": "200ms", "reconnectMaxDelay": "2s" },
          "watchdog": { "enabled": true, "device": "simulated", "timeout": "15s", "petInterval": "1s", "grace": "30s",
            "checks": { "interval": "1s", "minFreeMemory": "1MB", "maxTemperature": 0 } },
          "sensors": [
            { "type": "simulated", "name": "env", "interval": "100ms", "seed": 1 },
            { "type": "simulated", "name": "greenhouse", "interval": "250ms", "seed": 2 },
            { "type": "simulated", "name": "soil", "interval": "1s", "seed": 3 } ],
          "log": { "level": "information" } }
        """;

    /// <summary>The broker goes away a third into the phase and comes back at two thirds: back well before the census.</summary>
    private static async Task BreakTheBrokerAsync(Mosquitto broker, TimeSpan phase, CancellationToken stop)
    {
        try
        {
            await Task.Delay(phase / 3, stop);
            await broker.StopAsync();
            await Task.Delay(phase / 3, CancellationToken.None);
        }
        catch (OperationCanceledException)
        {
            // The phase ended first.
        }
        finally
        {
            await broker.StartAsync();
        }
    }

    /// <summary>Waits until no consumer is connected, the broker session is back, and (with the client) the client is published again.</summary>
    private static async Task QuietAsync(AgentExecutable agent, bool diodeRuns)
    {
        var deadline = Stopwatch.StartNew();
        while (true)
        {
            string metrics = await agent.Http.GetStringAsync("/metrics");
            double consumers = Streams.Sum(s => PrometheusText.Value(metrics, $"diode_edge_consumers{{stream=\"{s}\"}}"));
            bool mqtt = PrometheusText.Value(metrics, "diode_edge_mqtt_connected") == 1;
            bool published = !diodeRuns || DiodeAgentProcess.Text(await DiodeHealthAsync(agent), "state") == "published";
            if (consumers == 0 && mqtt && published)
            {
                return;
            }

            Assert.True(deadline.Elapsed < TimeSpan.FromSeconds(90), $"{agent.Name} did not settle: consumers {consumers}, mqtt {mqtt}, published {published}");
            await Task.Delay(250);
        }
    }

    private static async Task<JsonElement> DiodeHealthAsync(AgentExecutable agent)
    {
        using var response = await agent.Http.GetAsync("/health");
        using var health = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return health.RootElement.GetProperty("components").GetProperty("diode").Clone();
    }
}
