using Diode.Edge.Tests.Support;

namespace Diode.Edge.Tests.Mqtt;

/// <summary>
/// A broker that takes the connection but refuses every frame (its ACL lets this client only read): the agent says
/// why in /health and asks again with growing delays, instead of reconnecting as fast as the network allows.
/// </summary>
[Trait("Tier", Tiers.Integration)]
public sealed class MqttRefusalTests
{
    [Fact]
    public async Task A_broker_that_refuses_every_frame_is_retried_with_backoff_not_hammered()
    {
        using var dir = new TempDirectory();
        string acl = dir.File("acl", "# anonymous clients may read, not publish\ntopic read #\n");
        await using var broker = await Mosquitto.StartAsync(listenerLines: [$"acl_file {acl}"]);
        await using var agent = await RunningAgent.StartAsync(MqttAgent.Config(broker.Port, """, "reconnectMinDelay": "500ms" """));

        var refused = await MqttAgent.WaitForFailedAttemptAsync(agent.Http, TimeSpan.FromSeconds(20));
        long first = refused.GetProperty("reconnects").GetInt64();
        var watched = System.Diagnostics.Stopwatch.StartNew();
        await Task.Delay(TimeSpan.FromSeconds(8));
        var health = await MqttAgent.HealthAsync(agent.Http);
        long attempts = health.GetProperty("reconnects").GetInt64() - first;

        Assert.Equal("degraded", health.GetProperty("status").GetString());
        string detail = health.GetProperty("detail").GetString()!;
        Assert.Contains("the broker refused frame", detail, StringComparison.Ordinal);
        Assert.Contains("NotAuthorized", detail, StringComparison.Ordinal);
        Assert.Contains("ACL must let this client publish to diode-edge/#", detail, StringComparison.Ordinal);
        Assert.Equal(0, health.GetProperty("framesPublished").GetInt64());
        // Delays from 0.5 s growing to 2 s (with jitter) allow some 5 to 10 attempts in 8 s; reconnecting at once would make thousands.
        Assert.True(attempts is >= 1 and <= 16, $"{attempts} reconnections in {watched.Elapsed.TotalSeconds:0.0} s");
    }
}
