using System.Text.Json;
using Diode.Edge.Tests.Support;
using MQTTnet;
using MQTTnet.Protocol;
using Xunit.Abstractions;
using static Diode.Edge.Tests.Fleet.FleetAgents;

namespace Diode.Edge.Tests.Fleet;

/// <summary>
/// An MQTT broker as a carrier of deployments: an owner publishes the signed document once, retained, on
/// <c>diode-edge/fleet/&lt;fleet&gt;/deployment</c>, and every device on that broker verifies it itself and takes it, now or
/// when it next connects. Real agents, a real mosquitto.
/// </summary>
[Trait("Tier", Tiers.Integration)]
public sealed class DeploymentMqttTests(ITestOutputHelper output) : IDisposable
{
    private readonly TempDirectory _a = new();
    private readonly TempDirectory _b = new();
    private readonly FleetAgents _fleet = new(output);

    private static string Topic => $"diode-edge/fleet/{FleetAgents.Fleet.ToLowerInvariant()}/deployment";

    public void Dispose()
    {
        _fleet.Dispose();
        _a.Dispose();
        _b.Dispose();
    }

    [Fact]
    public async Task A_retained_deployment_on_the_broker_is_taken_by_a_running_device_and_by_one_that_connects_later_and_a_forged_one_by_neither()
    {
        await using var broker = await Mosquitto.StartAsync();
        string mqtt = $$""" "mqtt": { "enabled": true, "host": "127.0.0.1", "port": {{broker.Port}}, "reconnectMaxDelay": "2s" }, """;
        _a.File("config.json", _fleet.Config(0, Env, sections: mqtt));
        _b.File("config.json", _fleet.Config(0, Env, sections: mqtt));
        var a = _fleet.Start(_a.Path);
        var httpA = await ClientAsync(a);
        string deviceA = await AddressAsync(httpA);
        Assert.Equal("none", (await StatusAsync(httpA, deviceA)).GetProperty("state").GetString());

        byte[] deployment = Deployment(1, SensorsConfig(Env, Barn), _fleet.Owners[0], _fleet.Owners[2]);
        using var owner = await ConnectAsync(broker.Port, "owner");
        await PublishRetainedAsync(owner, deployment);

        httpA = await ClientAsync(a); // A started again with what the broker carried
        var status = await WaitForStateAsync(httpA, deviceA, "applied", TimeSpan.FromSeconds(40));
        Assert.Equal(1ul, status.GetProperty("appliedSeq").GetUInt64());
        Assert.Equal(["barn", "env"], await StreamIdsAsync(httpA));
        Assert.Equal(deployment, await httpA.GetByteArrayAsync("/deployments/latest"));

        // B was off when it was published: the broker hands the retained document to it when it connects.
        var b = _fleet.Start(_b.Path);
        var httpB = await ClientAsync(b);
        string deviceB = await AddressAsync(httpB);
        httpB = await ClientAsync(b);
        await WaitForStateAsync(httpB, deviceB, "applied", TimeSpan.FromSeconds(40));
        Assert.Equal(["barn", "env"], await StreamIdsAsync(httpB));

        // The broker is no authority: a newer document signed by one owner only is refused by both, and they keep seq 1.
        await PublishRetainedAsync(owner, Deployment(2, SensorsConfig(Env), _fleet.Owners[1]));
        foreach (var (http, device) in new[] { (httpA, deviceA), (httpB, deviceB) })
        {
            var deployments = await WaitForRejectionAsync(http, "notEnoughSignatures");
            Assert.Equal(1ul, deployments.GetProperty("appliedSeq").GetUInt64());
            Assert.Equal("applied", (await StatusAsync(http, device)).GetProperty("state").GetString());
            Assert.Equal(["barn", "env"], await StreamIdsAsync(http));
            string metrics = await http.GetStringAsync("/metrics");
            Assert.Equal(1, PrometheusText.Value(metrics, "diode_edge_deployments_offered_total{result=\"notEnoughSignatures\"}"));
        }

        // A message larger than a deployment never reaches the agent: it told the broker the largest packet it takes.
        string before = await httpA.GetStringAsync("/metrics");
        await PublishRetainedAsync(owner, new byte[100 * 1024]);
        await Task.Delay(2000);
        string after = await httpA.GetStringAsync("/metrics");
        Assert.Equal(
            PrometheusText.Value(before, "diode_edge_deployment_mqtt_messages_total{result=\"received\"}"),
            PrometheusText.Value(after, "diode_edge_deployment_mqtt_messages_total{result=\"received\"}"));
        Assert.Equal(1ul, (await StatusAsync(httpA, deviceA)).GetProperty("appliedSeq").GetUInt64());
    }

    private static async Task<string> AddressAsync(HttpClient http) =>
        JsonDocument.Parse(await http.GetStringAsync("/identity")).RootElement.GetProperty("address").GetString()!;

    private static async Task<IMqttClient> ConnectAsync(int port, string clientId)
    {
        var client = new MqttClientFactory().CreateMqttClient();
        await client.ConnectAsync(new MqttClientOptionsBuilder().WithTcpServer("127.0.0.1", port).WithClientId(clientId).Build());
        return client;
    }

    private static Task<MqttClientPublishResult> PublishRetainedAsync(IMqttClient client, byte[] payload) =>
        client.PublishAsync(new MqttApplicationMessageBuilder().WithTopic(Topic).WithPayload(payload).WithRetainFlag().WithQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce).Build());

    /// <summary>The deployments component of /health once its last rejection is <paramref name="rejection"/>.</summary>
    private static async Task<JsonElement> WaitForRejectionAsync(HttpClient http, string rejection)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(20);
        while (true)
        {
            using var response = await http.GetAsync("/health");
            var deployments = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("components").GetProperty("deployments").Clone();
            if (deployments.TryGetProperty("lastRejected", out var last) && last.GetString()!.Contains(rejection, StringComparison.Ordinal))
            {
                return deployments;
            }

            Assert.True(DateTime.UtcNow < deadline, $"no {rejection} rejection within 20 s: {deployments}");
            await Task.Delay(250);
        }
    }
}
