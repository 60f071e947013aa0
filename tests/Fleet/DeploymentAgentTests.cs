using System.Diagnostics;
using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Diode.Edge.Agent.Fleet;
using Diode.Edge.Agent.Identity;
using Diode.Edge.Tests.Support;
using static Diode.Edge.Tests.Fleet.FleetAgents;
using Xunit.Abstractions;

namespace Diode.Edge.Tests.Fleet;

/// <summary>
/// The real executable takes deployments over HTTP: one signed by 2 of 3 owners is applied (the host starts again in
/// the same process with the merged configuration) and kept once healthy; a replay, a downgrade and a document signed by
/// one owner change nothing; one that leaves a critical sensor dead is rolled back after its rollbackAfter, naming the
/// sensor, and is never taken again; all of it survives a SIGKILL; the status is signed by the device.
/// </summary>
[Trait("Tier", Tiers.Integration)]
public sealed class DeploymentAgentTests(ITestOutputHelper output) : IDisposable
{
    private readonly TempDirectory _dir = new();
    private readonly FleetAgents _fleet = new(output);

    public void Dispose()
    {
        _fleet.Dispose();
        _dir.Dispose();
    }

    [Fact]
    public async Task A_deployment_of_two_owners_is_applied_a_replay_and_one_owner_change_nothing_and_a_breaking_one_is_rolled_back_for_good()
    {
        _dir.File("config.json", _fleet.Config(0, Env));
        byte[] first = Deployment(1, SensorsConfig(Env, Barn), _fleet.Owners[0], _fleet.Owners[2]);
        byte[] breaking = Deployment(2, SensorsConfig(Env, Barn, DeadCritical), _fleet.Owners[1], _fleet.Owners[2]);

        {
            var agent = _fleet.Start(_dir.Path);
            var http = await ClientAsync(agent);
            string device = JsonDocument.Parse(await http.GetStringAsync("/identity")).RootElement.GetProperty("address").GetString()!;
            Assert.Equal("none", (await StatusAsync(http, device)).GetProperty("state").GetString());

            // Applied: 202, the host starts again with both sensors, and is kept once healthy.
            var (code, answer) = await PostAsync(http, first);
            Assert.True(code == HttpStatusCode.Accepted, answer.ToString());
            Assert.Equal([_fleet.Owners[0].Address, _fleet.Owners[2].Address], answer.GetProperty("signers").EnumerateArray().Select(s => s.GetString()));
            http = await ClientAsync(agent);
            var status = await WaitForStateAsync(http, device, "applied", TimeSpan.FromSeconds(40));
            Assert.Equal(1ul, status.GetProperty("appliedSeq").GetUInt64());
            Assert.Equal(["barn", "env"], await StreamIdsAsync(http));
            Assert.Equal(first, await http.GetByteArrayAsync("/deployments/latest"));

            // A replay, and a newer one signed by one owner only: refused, nothing restarts.
            (code, answer) = await PostAsync(http, first);
            Assert.Equal((HttpStatusCode.Conflict, "notNewer"), (code, answer.GetProperty("rejection").GetString()));
            (code, answer) = await PostAsync(http, Deployment(3, SensorsConfig(Env), _fleet.Owners[1]));
            Assert.Equal((HttpStatusCode.Forbidden, "notEnoughSignatures"), (code, answer.GetProperty("rejection").GetString()));
            Assert.Equal(["barn", "env"], await StreamIdsAsync(http));

            // Breaking: a critical sensor on a bus that does not exist; rolled back after 10 s, naming it.
            (code, answer) = await PostAsync(http, breaking);
            Assert.True(code == HttpStatusCode.Accepted, answer.ToString());
            http = await ClientAsync(agent);
            Assert.Equal(["barn", "dead", "env"], await StreamIdsAsync(http));
            http = await ClientAsync(agent); // started again, with deployment 1
            status = await WaitForStateAsync(http, device, "rolledBack", TimeSpan.FromSeconds(10));
            output.WriteLine(status.ToString());
            Assert.Equal("sensor:dead", status.GetProperty("component").GetString());
            Assert.StartsWith("not healthy within 10s: sensor:dead: failed to start", status.GetProperty("reason").GetString(), StringComparison.Ordinal);
            Assert.Equal((1ul, 2ul, 2ul), (status.GetProperty("appliedSeq").GetUInt64(), status.GetProperty("highestSeq").GetUInt64(), status.GetProperty("seq").GetUInt64()));
            Assert.Equal(["barn", "env"], await StreamIdsAsync(http));
            Assert.Equal(first, await http.GetByteArrayAsync("/deployments/latest"));
            (code, answer) = await PostAsync(http, breaking);
            Assert.Equal((HttpStatusCode.Conflict, "notNewer"), (code, answer.GetProperty("rejection").GetString()));
            // The refused replay is reported apart: it does not hide the rollback.
            status = await StatusAsync(http, device);
            Assert.Equal("rolledBack", status.GetProperty("state").GetString());
            Assert.Equal(("notNewer", "seq 2 is not newer than seq 2, the highest this device took"), (status.GetProperty("lastRejected").GetProperty("rejection").GetString(), status.GetProperty("lastRejected").GetProperty("reason").GetString()));

            string metrics = await http.GetStringAsync("/metrics");
            Assert.Equal(1, PrometheusText.Value(metrics, "diode_edge_deployment_applied_seq"));
            Assert.Equal(1, PrometheusText.Value(metrics, "diode_edge_deployment_rolled_back"));
            Assert.Equal(1, PrometheusText.Value(metrics, "diode_edge_deployments_offered_total{result=\"notNewer\"}"));
            using var health = JsonDocument.Parse(await http.GetStringAsync("/health"));
            Assert.Equal("rolledBack", health.RootElement.GetProperty("components").GetProperty("deployments").GetProperty("state").GetString());
            agent.Kill(); // SIGKILL
            await agent.WaitForExitAsync();
        }

        // After a kill: deployment 1's configuration runs, and seq 2 is still used.
        {
            var agent = _fleet.Start(_dir.Path);
            var http = await ClientAsync(agent);
            Assert.Equal(["barn", "env"], await StreamIdsAsync(http));
            string device = JsonDocument.Parse(await http.GetStringAsync("/identity")).RootElement.GetProperty("address").GetString()!;
            var status = await StatusAsync(http, device);
            Assert.Equal((1ul, 2ul, "rolledBack"), (status.GetProperty("appliedSeq").GetUInt64(), status.GetProperty("highestSeq").GetUInt64(), status.GetProperty("state").GetString()));
            var (code, answer) = await PostAsync(http, breaking);
            Assert.Equal((HttpStatusCode.Conflict, "notNewer"), (code, answer.GetProperty("rejection").GetString()));
            agent.Kill();
            await agent.WaitForExitAsync();
        }
    }
}
