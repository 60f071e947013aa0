using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using Diode.Edge.Tests.Support;
using Microsoft.Data.Sqlite;
using Xunit.Abstractions;

namespace Diode.Edge.Tests.Store;

/// <summary>
/// The real agent writes frames while the test SIGKILLs it at random moments (200 times by default;
/// DIODE_EDGE_POWER_CUTS overrides). After each kill the database passes <c>PRAGMA integrity_check</c> and holds every
/// frame the agent had reported durable in /health before it died.
/// </summary>
[Collection(TimingSensitive.Name)]
[Trait("Tier", Tiers.Integration)]
public sealed partial class PowerCutTests(ITestOutputHelper output)
{
    [Fact]
    public async Task Killing_the_agent_at_random_never_corrupts_the_store_or_loses_a_frame_reported_durable()
    {
        int cuts = int.TryParse(Environment.GetEnvironmentVariable("DIODE_EDGE_POWER_CUTS"), out int n) ? n : 200;
        using var dir = new TempDirectory();
        dir.File("config.json", """
            { "http": { "port": 0 }, "identity": { "keyPath": "device.key" },
              "store": { "path": "store.db", "flushInterval": "20ms" },
              "sensors": [ { "type": "simulated", "name": "a", "interval": "10ms" }, { "type": "simulated", "name": "b", "interval": "15ms" }, { "type": "simulated", "name": "c", "interval": "25ms" } ] }
            """);
        var random = new Random(20261124);
        long checkedFrames = 0;
        var stopwatch = Stopwatch.StartNew();

        for (int cut = 0; cut < cuts; cut++)
        {
            var (epoch, durable) = await RunAndKillAsync(dir.Path, TimeSpan.FromMilliseconds(random.Next(0, 400)));

            using var db = new SqliteConnection($"Data Source={Path.Combine(dir.Path, "store.db")};Mode=ReadOnly;Pooling=False");
            db.Open();
            using (var check = db.CreateCommand())
            {
                check.CommandText = "PRAGMA integrity_check";
                Assert.Equal("ok", check.ExecuteScalar() as string);
            }

            foreach (var (stream, seq) in durable)
            {
                using var count = db.CreateCommand();
                count.CommandText = "SELECT count(*) FROM frames WHERE stream = $s AND epoch = $e AND seq BETWEEN 1 AND $q";
                count.Parameters.AddWithValue("$s", stream);
                count.Parameters.AddWithValue("$e", epoch);
                count.Parameters.AddWithValue("$q", seq);
                Assert.True(Convert.ToInt64(count.ExecuteScalar(), CultureInfo.InvariantCulture) == seq, $"cut {cut}: stream {stream} reported seq {seq} durable, but frames are missing");
                checkedFrames += seq;
            }
        }

        output.WriteLine($"{cuts} kills in {stopwatch.Elapsed.TotalSeconds:F0} s; {checkedFrames} frames reported durable were all present; integrity_check ok every time");
        Assert.True(checkedFrames > cuts, "the agent should have reported frames durable before most kills");
    }

    private static async Task<(long Epoch, Dictionary<string, long> Durable)> RunAndKillAsync(string workingDirectory, TimeSpan after)
    {
        using var process = Process.Start(AgentProcess.StartInfo(workingDirectory, null, "run", "--config", "config.json"))!;
        try
        {
            _ = process.StandardError.ReadToEndAsync();
            var address = await AgentProcess.ReadAddressAsync(process);
            _ = process.StandardOutput.ReadToEndAsync();
            using var http = new HttpClient { BaseAddress = address, Timeout = TimeSpan.FromSeconds(10) };
            using var streams = JsonDocument.Parse(await http.GetStringAsync("/streams"));
            long epoch = streams.RootElement[0].GetProperty("epoch").GetInt64();
            var durable = new Dictionary<string, long>();
            var deadline = DateTime.UtcNow + after;
            do
            {
                using var health = JsonDocument.Parse(await http.GetStringAsync("/health"));
                foreach (var property in health.RootElement.GetProperty("components").GetProperty("store").EnumerateObject())
                {
                    if (property.Name.StartsWith("durableSeq:", StringComparison.Ordinal))
                    {
                        durable[property.Name["durableSeq:".Length..]] = property.Value.GetInt64();
                    }
                }

                // The port admits 1,000 requests a second (http.maxRequestsPerSecond) and answers 429 beyond;
                // a poll every 5 ms stays well inside it, however fast the binary answers.
                await Task.Delay(5);
            }
            while (DateTime.UtcNow < deadline || durable.Count == 0);

            return (epoch, durable);
        }
        finally
        {
            process.Kill();
            await process.WaitForExitAsync();
        }
    }

}
